// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "interactive_chart_view.h"

#include <QChart>
#include <QLineSeries>
#include <QValueAxis>

namespace benchdeck::ui {

// A chart with titled axes (units included) that follows the system palette. Hover, zoom, legend toggles
// and export come with the view; the hover label takes its units from the axis titles' parentheses.
InteractiveChartView* makeChartView(const QString& title, const QString& xTitle, const QString& yTitle,
                                    QWidget* parent);
QValueAxis* axisX(QChart* chart);
QValueAxis* axisY(QChart* chart);
QLineSeries* addLine(QChart* chart, const QString& name, const QColor& color);
// Grows the y axis to fit `value` with some headroom, never shrinking during a run.
void fitY(QChart* chart, double value);
// The percentile at `nines` = -log10(1 - p) on a "nines" axis, as the hover label writes it: 3 -> "p99.9".
QString ninesPercentile(double nines);

} // namespace benchdeck::ui
