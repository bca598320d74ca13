#include "ui/session/RunHistory.h"

#include <QFile>
#include <QSaveFile>
#include <QTextStream>
#include <algorithm>
#include <filesystem>
#include <set>

#include <nlohmann/json.hpp>

#include "core/project/EventJson.h"

namespace cklab::ui {

namespace {

QString number(double v)
{
    return QString::number(v, 'g', QLocale::FloatingPointShortest);
}

bool writeText(const QString& path, const QString& text, QString* error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Text) || file.write(text.toUtf8()) < 0 || !file.commit()) {
        if (error)
            *error = path + QStringLiteral(": ") + file.errorString();
        return false;
    }
    return true;
}

} // namespace

RunHistory::RunHistory(QObject* parent)
    : QObject(parent)
{
}

void RunHistory::clear()
{
    m_info = RunInfo{};
    m_batches.clear();
    m_epochs.clear();
    m_events.clear();
    m_policies.clear();
    m_messages.clear();
    emit cleared();
}

void RunHistory::setInfo(const RunInfo& info)
{
    m_info = info;
    emit infoChanged();
}

void RunHistory::appendBatches(const std::vector<BatchPoint>& points)
{
    if (points.empty())
        return;
    const int first = int(m_batches.size());
    for (const BatchPoint& p : points)
        m_batches.append(p);
    emit batchesAppended(first, int(points.size()));
}

void RunHistory::appendEpoch(const EpochPoint& point)
{
    m_epochs.push_back(point);
    emit epochAppended(int(m_epochs.size()) - 1);
}

void RunHistory::appendEvent(const CheckpointEvent& event, const QDateTime& time)
{
    m_events.push_back({event, time});
    const QString policy = QString::fromStdString(event.policy);
    if (!m_policies.contains(policy))
        m_policies.append(policy);
    emit eventAppended(int(m_events.size()) - 1);
}

void RunHistory::appendMessage(const QString& line)
{
    m_messages.append(line);
    emit messageAppended(line);
}

std::vector<std::string> RunHistory::epochKeys() const
{
    std::set<std::string> keys;
    for (const EpochPoint& p : m_epochs)
        for (const auto& [k, v] : p.logs)
            keys.insert(k);
    return {keys.begin(), keys.end()};
}

QString RunHistory::absolutePath(const std::string& path) const
{
    if (path.empty())
        return {};
    std::filesystem::path p(path);
    if (p.is_relative() && !m_info.outputDir.empty())
        p = m_info.outputDir / p;
    return QString::fromStdString(p.lexically_normal().string());
}

void RunHistory::setPolicyOrder(const QStringList& names) { m_policyOrder = names; }

int RunHistory::policyIndex(const QString& policy) const
{
    const int i = int(m_policyOrder.indexOf(policy));
    if (i >= 0)
        return i;
    int unknown = 0;
    for (const QString& p : m_policies) {
        if (p == policy)
            return int(m_policyOrder.size()) + unknown;
        unknown += m_policyOrder.contains(p) ? 0 : 1;
    }
    return int(m_policyOrder.size()) + unknown;
}

bool RunHistory::exportMetricsCsv(const QString& path, QString* error) const
{
    const std::vector<std::string> keys = epochKeys();
    QString text = QStringLiteral("epoch");
    for (const std::string& k : keys)
        text += ',' + QString::fromStdString(k);
    text += '\n';
    for (const EpochPoint& p : m_epochs) {
        text += QString::number(p.epoch);
        for (const std::string& k : keys) {
            text += ',';
            auto it = p.logs.find(k);
            if (it != p.logs.end())
                text += number(it->second);
        }
        text += '\n';
    }
    return writeText(path, text, error);
}

bool RunHistory::exportBatchMetricsCsv(const QString& path, QString* error) const
{
    std::vector<const BatchTable::Column*> columns;
    for (const BatchTable::Column& c : m_batches.columns())
        columns.push_back(&c);
    std::sort(columns.begin(), columns.end(), [](const auto* a, const auto* b) { return a->key < b->key; });
    QString text = QStringLiteral("epoch,batch,step");
    for (const BatchTable::Column* c : columns)
        text += ',' + QString::fromStdString(c->key);
    text += '\n';
    for (std::size_t i = 0; i < m_batches.size(); ++i) {
        text += QStringLiteral("%1,%2,%3").arg(m_batches.epochs()[i]).arg(m_batches.batches()[i]).arg(m_batches.globalSteps()[i]);
        for (const BatchTable::Column* c : columns) {
            text += ',';
            if (c->has(i))
                text += number(c->values[i]);
        }
        text += '\n';
    }
    return writeText(path, text, error);
}

bool RunHistory::exportEventsJsonl(const QString& path, QString* error) const
{
    QString text;
    for (const EventRecord& r : m_events)
        text += QString::fromStdString(checkpointEventLineJson(r.event).dump()) + '\n';
    return writeText(path, text, error);
}

} // namespace cklab::ui

#include "moc_RunHistory.cpp"
