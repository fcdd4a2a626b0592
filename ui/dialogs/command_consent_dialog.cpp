// SPDX-License-Identifier: Apache-2.0
#include "command_consent_dialog.h"

#include "workflow/command_approval.h"

#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace benchdeck::ui {

QString CommandConsentDialog::visibleText(const QString& command)
{
    QString out;
    for (const QChar c : command) {
        const ushort code = c.unicode();
        if (code == '\n') {
            out += c;
        } else if (code == '\r') {
            out += QStringLiteral("\\r");
        } else if (code == '\t') {
            out += QStringLiteral("\\t");
        } else if (code < 0x20 || code == 0x7f || c.category() == QChar::Other_Format) {
            // Other_Format: bidirectional overrides and zero-width characters that reorder or hide text.
            out += QStringLiteral("\\u%1").arg(code, 4, 16, QLatin1Char('0'));
        } else {
            out += c;
        }
    }
    return out;
}

QString CommandConsentDialog::refusal(const QString& command)
{
    const auto why = workflow::commandRefusal(command.toStdString());
    return why ? QString::fromStdString(*why) : QString();
}

CommandConsentDialog::CommandConsentDialog(const QStringList& commands, QWidget* parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Run server commands?"));
    QStringList shown;
    int lines = 0;
    for (const QString& command : commands) {
        shown << visibleText(command);
        lines += int(command.count(QLatin1Char('\n'))) + 1;
    }
    auto* intro = new QLabel(tr("These targets start their server with a command before each run. The commands "
                                "came from the session file: run them on this machine only if you trust it."),
                             this);
    intro->setWordWrap(true);
    intro->setTextFormat(Qt::PlainText);
    auto* count = new QLabel(tr("%n command(s), %1 line(s) in all. Scroll to read every line.", nullptr,
                                int(commands.size()))
                                 .arg(lines),
                             this);
    count->setTextFormat(Qt::PlainText);
    view_ = new QPlainTextEdit(shown.join(QStringLiteral("\n\n")), this);
    view_->setReadOnly(true);
    view_->setLineWrapMode(QPlainTextEdit::NoWrap);
    view_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    view_->setAccessibleName(tr("Server commands"));
    auto* buttons = new QDialogButtonBox(this);
    run_ = buttons->addButton(tr("&Run these commands"), QDialogButtonBox::AcceptRole);
    auto* no = buttons->addButton(tr("&Don't run"), QDialogButtonBox::RejectRole);
    run_->setAutoDefault(false);
    no->setDefault(true);
    no->setFocus();
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(count);
    layout->addWidget(view_, 1); // the view scrolls; the buttons below it always stay on screen
    layout->addWidget(buttons);
    resize(640, 360);
}

} // namespace benchdeck::ui
