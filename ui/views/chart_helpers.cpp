// SPDX-License-Identifier: Apache-2.0
#include "chart_helpers.h"

#include "metrics/units.h"

#include <QApplication>
#include <QPalette>

#include <algorithm>
#include <cmath>

namespace benchdeck::ui {

InteractiveChartView* makeChartView(const QString& title, const QString& xTitle, const QString& yTitle,
                                    QWidget* parent)
{
    auto* chart = new QChart();
    chart->setTitle(title);
    const bool dark = QApplication::palette().color(QPalette::Window).lightness() < 128;
    chart->setTheme(dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    chart->setBackgroundRoundness(0);
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->legend()->setAlignment(Qt::AlignBottom);
    auto* x = new QValueAxis(chart);
    x->setTitleText(xTitle);
    x->setLabelFormat(QStringLiteral("%.0f"));
    x->setRange(0, 10);
    x->setTickCount(6);
    auto* y = new QValueAxis(chart);
    y->setTitleText(yTitle);
    y->setLabelFormat(QStringLiteral("%.1f"));
    y->setRange(0, 1);
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    auto* view = new InteractiveChartView(chart, parent);
    view->setMinimumHeight(180);
    return view;
}

QValueAxis* axisX(QChart* chart)
{
    return qobject_cast<QValueAxis*>(chart->axes(Qt::Horizontal).value(0));
}

QValueAxis* axisY(QChart* chart)
{
    return qobject_cast<QValueAxis*>(chart->axes(Qt::Vertical).value(0));
}

QLineSeries* addLine(QChart* chart, const QString& name, const QColor& color)
{
    auto* series = new QLineSeries(chart);
    series->setName(name);
    series->setColor(color);
    chart->addSeries(series);
    series->attachAxis(axisX(chart));
    series->attachAxis(axisY(chart));
    return series;
}

void fitY(QChart* chart, double value)
{
    auto* y = axisY(chart);
    if (y && value * 1.15 > y->max()) {
        y->setMax(value * 1.25);
        y->applyNiceNumbers();
        // Small ranges (a few ms) need decimals; large ones (req/s) must not show exponents.
        y->setLabelFormat(y->max() < 10 ? QStringLiteral("%.1f") : QStringLiteral("%.0f"));
    }
}

QString ninesPercentile(double nines)
{
    const double percent = 100.0 * (1.0 - std::pow(10.0, -nines));
    // One more digit per nine: p99.95 needs two decimals, p99.995 three.
    const int decimals = std::max(1, int(std::floor(nines)));
    return QLatin1Char('p') + QString::fromStdString(units::trimmed(percent, decimals));
}

} // namespace benchdeck::ui
