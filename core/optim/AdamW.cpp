#include "core/optim/AdamW.h"

namespace cklab {

void AdamW::beforeUpdate(const std::vector<Matrix*>& variables)
{
    const float wd = m_config.weightDecay;
    const float lr = m_config.learningRate;
    if (wd == 0.0f)
        return;
    for (Matrix* w : variables)
        w->array() -= w->array() * wd * lr;
}

} // namespace cklab
