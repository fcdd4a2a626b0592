// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QObject>
#include <QStringList>

class QMenu;

namespace benchdeck::ui {

// The recently opened sessions, newest first, kept in QSettings and shown in File ▸ Open Recent.
class RecentFiles : public QObject {
    Q_OBJECT
public:
    RecentFiles(QMenu* menu, QObject* parent);

    void remember(const QString& path);
    QStringList files() const;

signals:
    void changed(const QStringList& files);
    void openRequested(const QString& path);

private:
    void rebuild();

    QMenu* menu_;
};

} // namespace benchdeck::ui
