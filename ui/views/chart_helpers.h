// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QChart>
#include <QChartView>
#include <QLineSeries>
#include <QValueAxis>

namespace benchdeck::ui {

// A chart with titled axes (units included) that follows the system palette.
QChartView* makeChartView(const QString& title, const QString& xTitle, const QString& yTitle, QWidget* parent);
QValueAxis* axisX(QChart* chart);
QValueAxis* axisY(QChart* chart);
QLineSeries* addLine(QChart* chart, const QString& name, const QColor& color);
// Grows the y axis to fit `value` with some headroom, never shrinking during a run.
void fitY(QChart* chart, double value);

} // namespace benchdeck::ui
