// SPDX-License-Identifier: Apache-2.0
#include "welcome_page.h"

#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace benchdeck::ui {

WelcomePage::WelcomePage(QWidget* parent)
    : QWidget(parent)
{
    auto* title = new QLabel(tr("Welcome to Benchdeck"), this);
    QFont font = title->font();
    font.setPointSizeF(font.pointSizeF() * 1.8);
    font.setBold(true);
    title->setFont(font);
    auto* text = new QLabel(tr("Load-test your candidate backends side by side on your own endpoints, compare the "
                               "runs, and let a decision table weigh what your project needs.\n\n"
                               "New here? The demo starts three local backends that behave differently, runs "
                               "them, and lands on the comparison in under a minute. Nothing leaves this machine."),
                            this);
    text->setWordWrap(true);
    text->setMaximumWidth(640);
    auto* demo = new QPushButton(tr("▶  Run the demo"), this);
    auto* create = new QPushButton(tr("New session"), this);
    auto* open = new QPushButton(tr("Open session…"), this);
    demo->setDefault(true);
    for (auto* button : {demo, create, open}) {
        button->setMinimumWidth(220);
        button->setMinimumHeight(34);
    }
    connect(demo, &QPushButton::clicked, this, &WelcomePage::demoRequested);
    connect(create, &QPushButton::clicked, this, &WelcomePage::newRequested);
    connect(open, &QPushButton::clicked, this, &WelcomePage::openRequested);
    recent_ = new QListWidget(this);
    recent_->setMaximumWidth(640);
    recent_->setMaximumHeight(160);
    connect(recent_, &QListWidget::itemActivated, this,
            [this](QListWidgetItem* item) { emit recentRequested(item->data(Qt::UserRole).toString()); });

    auto* layout = new QVBoxLayout(this);
    layout->addStretch(1);
    layout->addWidget(title, 0, Qt::AlignHCenter);
    layout->addSpacing(12);
    layout->addWidget(text, 0, Qt::AlignHCenter);
    layout->addSpacing(18);
    for (auto* button : {demo, create, open}) {
        layout->addWidget(button, 0, Qt::AlignHCenter);
    }
    layout->addSpacing(18);
    layout->addWidget(new QLabel(tr("Recent sessions (double-click to open):"), this), 0, Qt::AlignHCenter);
    layout->addWidget(recent_, 0, Qt::AlignHCenter);
    layout->addStretch(2);
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
