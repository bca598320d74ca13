#pragma once
/// The application's colours: the desktop's palette (default), or a light or dark one chosen in
/// View > Theme and kept in QSettings ("view/theme"). Widgets and charts follow the palette
/// (MetricChart switches its chart theme on QEvent::PaletteChange).
#include <QString>

class QMenu;
class QObject;

namespace cklab::ui {

enum class Theme { System, Light, Dark };

/// Sets the application palette for `theme`.
void applyTheme(Theme theme);
/// The theme kept in QSettings, or System.
Theme savedTheme();
void saveTheme(Theme theme);
QString themeName(Theme theme);
/// Adds View > Theme (System / Light / Dark, exclusive, object names "actionTheme<Name>") to
/// `view`; choosing one applies and saves it.
void addThemeMenu(QMenu* view);

} // namespace cklab::ui
