// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QWidget>

class QListWidget;

namespace benchdeck::ui {

// What a first-time user sees: the demo, a new session, an existing one, or a recent one.
class WelcomePage : public QWidget {
    Q_OBJECT
public:
    explicit WelcomePage(QWidget* parent = nullptr);
    void setRecentFiles(const QStringList& files);

signals:
    void demoRequested();
    void exampleRequested();
    void newRequested();
    void openRequested();
    void recentRequested(const QString& path);

private:
    QListWidget* recent_;
};

} // namespace benchdeck::ui
