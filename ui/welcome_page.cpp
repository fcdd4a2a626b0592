// SPDX-License-Identifier: Apache-2.0
#include "welcome_page.h"

#include <QGridLayout>
#include <QLabel>
#include <QScrollArea>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace benchdeck::ui {

WelcomePage::WelcomePage(QWidget* parent)
    : QWidget(parent)
{
    // One centred column no wider than a comfortable line: the labels wrap to its width at any
    // window size, and the page scrolls rather than clips when the screen is small or scaled.
    auto* column = new QWidget;
    column->setMaximumWidth(640);
    auto* title = new QLabel(tr("Welcome to Benchdeck"), column);
    QFont font = title->font();
    font.setPointSizeF(font.pointSizeF() * 1.8);
    font.setBold(true);
    title->setFont(font);
    title->setWordWrap(true);
    title->setAlignment(Qt::AlignHCenter);
    auto* text = new QLabel(tr("Load-test your candidate backends side by side on your own endpoints, compare the "
                               "runs, and let a decision table weigh what your project needs.\n\n"
                               "New here? The demo starts three local backends that behave differently, runs "
                               "them, and lands on the comparison in under a minute. Nothing leaves this machine. "
                               "The Go vs Python example does the same with real Go and Python servers."),
                            column);
    text->setWordWrap(true);
    auto* demo = new QPushButton(tr("▶  Run the &demo"), column);
    auto* example = new QPushButton(tr("Go vs Python e&xample (real servers)"), column);
    auto* create = new QPushButton(tr("&New session"), column);
    auto* open = new QPushButton(tr("&Open session…"), column);
    demo->setDefault(true);
    connect(demo, &QPushButton::clicked, this, &WelcomePage::demoRequested);
    connect(example, &QPushButton::clicked, this, &WelcomePage::exampleRequested);
    connect(create, &QPushButton::clicked, this, &WelcomePage::newRequested);
    connect(open, &QPushButton::clicked, this, &WelcomePage::openRequested);
    recent_ = new QListWidget(column);
    recent_->setMaximumHeight(160);
    recent_->setTextElideMode(Qt::ElideMiddle);
    recent_->setAccessibleName(tr("Recent sessions"));
    connect(recent_, &QListWidget::itemActivated, this,
            [this](QListWidgetItem* item) { emit recentRequested(item->data(Qt::UserRole).toString()); });
    auto* recentLabel = new QLabel(tr("Recent &sessions (double-click or Enter to open):"), column);
    recentLabel->setBuddy(recent_);

    auto* layout = new QVBoxLayout(column);
    layout->addWidget(title);
    layout->addSpacing(12);
    layout->addWidget(text);
    layout->addSpacing(18);
    for (auto* button : {demo, example, create, open}) {
        button->setMinimumHeight(34);
        layout->addWidget(button);
    }
    layout->addSpacing(18);
    layout->addWidget(recentLabel);
    layout->addWidget(recent_);

    auto* page = new QWidget;
    auto* centred = new QGridLayout(page);
    centred->addWidget(column, 1, 1);
    centred->setColumnStretch(0, 1);
    centred->setColumnStretch(2, 1);
    centred->setRowStretch(0, 1);
    centred->setRowStretch(2, 2);
    auto* scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff); // the column wraps to the width instead
    scroll->setWidget(page);
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(scroll);
}

void WelcomePage::setRecentFiles(const QStringList& files)
{
    recent_->clear();
    for (const QString& file : files) {
        auto* item = new QListWidgetItem(file, recent_);
        item->setData(Qt::UserRole, file);
    }
}

} // namespace benchdeck::ui
