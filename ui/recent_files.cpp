// SPDX-License-Identifier: Apache-2.0
#include "recent_files.h"

#include <QMenu>
#include <QSettings>
#include <QTimer>

namespace benchdeck::ui {
namespace {

constexpr int kMaxRecent = 8;
const QString kKey = QStringLiteral("recentFiles");

} // namespace

RecentFiles::RecentFiles(QMenu* menu, QObject* parent)
    : QObject(parent)
    , menu_(menu)
{
    // After the constructor, so that whoever listens to changed() is connected by then.
    QTimer::singleShot(0, this, &RecentFiles::rebuild);
}

QStringList RecentFiles::files() const
{
    return QSettings().value(kKey).toStringList();
}

void RecentFiles::remember(const QString& path)
{
    QStringList recent = files();
    recent.removeAll(path);
    recent.prepend(path);
    QSettings().setValue(kKey, recent.mid(0, kMaxRecent));
    rebuild();
}

void RecentFiles::rebuild()
{
    const QStringList recent = files();
    menu_->clear();
    for (const QString& path : recent) {
        // A path's own "&" is shown, not taken as a mnemonic.
        menu_->addAction(QString(path).replace(QLatin1Char('&'), QStringLiteral("&&")), this,
                         [this, path] { emit openRequested(path); });
    }
    menu_->setEnabled(!recent.isEmpty());
    emit changed(recent);
}

} // namespace benchdeck::ui
