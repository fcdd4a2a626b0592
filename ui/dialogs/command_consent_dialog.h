// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QDialog>
#include <QStringList>

class QPlainTextEdit;
class QPushButton;

namespace benchdeck::ui {

// Asks before a server command from a session file runs. The whole of every command is shown, in a
// scrolling, monospaced, read-only view with control characters made visible and its line count
// stated, so nothing can hide below the fold or behind a carriage return; the buttons stay on screen
// and No is the default.
class CommandConsentDialog : public QDialog {
    Q_OBJECT
public:
    CommandConsentDialog(const QStringList& commands, QWidget* parent);

    // What the view shows for `command`: every control character but a newline as a visible escape
    // (\r, \t, \x1b, ...), so that text cannot overwrite or hide other text.
    static QString visibleText(const QString& command);
    // Why a command is refused outright (a NUL or another control character than newline and tab),
    // or an empty string when it may be asked about.
    static QString refusal(const QString& command);

    QPlainTextEdit* view() const { return view_; }
    QPushButton* runButton() const { return run_; }

private:
    QPlainTextEdit* view_;
    QPushButton* run_;
};

} // namespace benchdeck::ui
