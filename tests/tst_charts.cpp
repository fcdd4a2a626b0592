// SPDX-License-Identifier: Apache-2.0
// The app's charts as a person uses them, offscreen: the hover label over a known point, x zoom by wheel,
// rubber band and keys with its reset, a "nines" axis that stays itself when zoomed and a chart rebuilt while
// zoomed, legend entries that hide and bring back their series, and the picture saved as PNG and SVG.
// Real mouse and key events on the view; no network.
#include "views/chart_helpers.h"

#include <QApplication>
#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QCategoryAxis>
#include <QClipboard>
#include <QGraphicsTextItem>
#include <QImage>
#include <QLegendMarker>
#include <QMenu>
#include <QShortcut>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <QWheelEvent>
#include <QXmlStreamReader>

#include <memory>
#include <tuple>

using namespace benchdeck::ui;

namespace {

// Where a data point is drawn, in viewport coordinates: where a person would point at it.
QPoint viewPosOf(InteractiveChartView* view, QPointF value, QAbstractSeries* series)
{
    return view->mapFromScene(view->chart()->mapToScene(view->chart()->mapToPosition(value, series)));
}

QPoint plotCentre(InteractiveChartView* view)
{
    return view->mapFromScene(view->chart()->mapToScene(view->chart()->plotArea().center()));
}

// QTest::mouseDClick sends the double-click alone; the release that follows it leaves no button held.
void doubleClick(InteractiveChartView* view, QPoint pos)
{
    QTest::mouseDClick(view->viewport(), Qt::LeftButton, {}, pos);
    QTest::mouseRelease(view->viewport(), Qt::LeftButton, {}, pos);
}

void wheel(InteractiveChartView* view, QPoint pos, int angle)
{
    QWheelEvent event(pos, view->viewport()->mapToGlobal(pos), QPoint(), QPoint(0, angle), Qt::NoButton, Qt::NoModifier,
                      Qt::NoScrollPhase, false);
    QApplication::sendEvent(view->viewport(), &event);
}

// The legend entry showing `name`, in viewport coordinates: its colour swatch, which sits beside the text.
QPoint legendEntry(InteractiveChartView* view, const QString& name)
{
    QList<QGraphicsItem*> items = view->chart()->legend()->childItems();
    while (!items.isEmpty()) {
        QGraphicsItem* item = items.takeFirst();
        const auto* text = qgraphicsitem_cast<QGraphicsTextItem*>(item);
        if (text && text->toPlainText() == name && text->isVisible()) {
            for (QGraphicsItem* sibling : text->parentItem()->childItems()) {
                if (sibling != text) {
                    return view->mapFromScene(sibling->sceneBoundingRect().center());
                }
            }
        }
        items << item->childItems();
    }
    return {};
}

QLegendMarker* markerOf(InteractiveChartView* view, const QString& name)
{
    for (auto* marker : view->chart()->legend()->markers()) {
        if (marker->label() == name) {
            return marker;
        }
    }
    return nullptr;
}

void show(InteractiveChartView* view)
{
    view->resize(600, 400);
    view->show();
    QVERIFY(QTest::qWaitForWindowExposed(view));
}

} // namespace

class TestCharts : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;

private slots:
    void initTestCase() { QVERIFY(dir_.isValid()); }

    void ninesPercentile_data()
    {
        QTest::addColumn<double>("nines");
        QTest::addColumn<QString>("text");
        QTest::newRow("median-ish") << 0.5 << QStringLiteral("p68.4");
        QTest::newRow("p90") << 1.0 << QStringLiteral("p90");
        QTest::newRow("p99") << 2.0 << QStringLiteral("p99");
        QTest::newRow("between") << 2.5 << QStringLiteral("p99.68");
        QTest::newRow("p99.9") << 3.0 << QStringLiteral("p99.9");
        QTest::newRow("p99.99") << 4.0 << QStringLiteral("p99.99");
    }

    void ninesPercentile()
    {
        QFETCH(double, nines);
        QFETCH(QString, text);
        QCOMPARE(benchdeck::ui::ninesPercentile(nines), text);
    }

    void hoverShowsTheValueWithUnits()
    {
        std::unique_ptr<InteractiveChartView> view(makeChartView(QStringLiteral("Latency"), QStringLiteral("time (s)"),
                                                                 QStringLiteral("latency (ms)"), nullptr));
        QLineSeries* p50 = addLine(view->chart(), QStringLiteral("p50"), Qt::blue);
        for (int t = 0; t <= 10; ++t) {
            p50->append(t, 1.25 * t);
        }
        axisY(view->chart())->setRange(0, 15);
        show(view.get());
        QCOMPARE(view->accessibleName(), QStringLiteral("Latency"));
        QVERIFY(view->hoverText().isEmpty());

        QTest::mouseMove(view->viewport(), viewPosOf(view.get(), {4, 5}, p50));
        QCOMPARE(view->hoverText(), QStringLiteral("p50: 4 s, 5 ms"));
        QTest::mouseMove(view->viewport(), viewPosOf(view.get(), {7, 8.75}, p50) + QPoint(3, -2)); // near is enough
        QCOMPARE(view->hoverText(), QStringLiteral("p50: 7 s, 8.75 ms"));
        // Far from every point (top left of the plot: the line starts bottom left) there is nothing to say.
        const QPoint topLeft = view->mapFromScene(view->chart()->mapToScene(view->chart()->plotArea().topLeft()));
        QTest::mouseMove(view->viewport(), topLeft + QPoint(20, 20));
        QVERIFY(view->hoverText().isEmpty());

        // A hidden series is not hovered.
        QTest::mouseMove(view->viewport(), viewPosOf(view.get(), {4, 5}, p50));
        QVERIFY(!view->hoverText().isEmpty());
        p50->setVisible(false);
        QTest::mouseMove(view->viewport(), viewPosOf(view.get(), {4, 5}, p50) + QPoint(1, 0));
        QVERIFY(view->hoverText().isEmpty());
    }

    void wheelRubberBandKeysAndReset()
    {
        std::unique_ptr<InteractiveChartView> view(
            makeChartView(QStringLiteral("Throughput"), QStringLiteral("time (s)"), QStringLiteral("req/s"), nullptr));
        QLineSeries* line = addLine(view->chart(), QStringLiteral("req/s"), Qt::darkGreen);
        for (int t = 0; t <= 10; ++t) {
            line->append(t, 100 + t);
        }
        axisY(view->chart())->setRange(0, 200);
        show(view.get());
        QSignalSpy zoomed(view.get(), &InteractiveChartView::zoomedChanged);
        QValueAxis* x = axisX(view->chart());
        QCOMPARE(x->min(), 0.0);
        QCOMPARE(x->max(), 10.0);

        // Wheel forward over t = 8: a narrower range that still has t = 8 under the cursor.
        const QPoint at8 = viewPosOf(view.get(), {8, 150}, line);
        wheel(view.get(), at8, 120);
        QVERIFY(view->isZoomed());
        QCOMPARE(zoomed.count(), 1);
        QVERIFY(x->max() - x->min() < 9);
        QVERIFY(qAbs(x->min() + (x->max() - x->min()) * 0.8 - 8.0) < 0.05);
        QCOMPARE(axisY(view->chart())->max(), 200.0); // only x zooms
        auto* reset = view->findChild<QToolButton*>();
        QVERIFY(reset && reset->isVisible());

        doubleClick(view.get(), plotCentre(view.get()));
        QVERIFY(!view->isZoomed());
        QCOMPARE(zoomed.count(), 2);
        QCOMPARE(x->min(), 0.0);
        QCOMPARE(x->max(), 10.0);
        QVERIFY(!reset->isVisible());

        // Wheel back from the whole range does nothing: there is nothing to zoom out of.
        wheel(view.get(), at8, -120);
        QVERIFY(!view->isZoomed());
        QCOMPARE(x->max(), 10.0);

        // Rubber band from t = 2 to t = 6.
        const QPoint from = viewPosOf(view.get(), {2, 50}, line);
        const QPoint to = viewPosOf(view.get(), {6, 50}, line);
        QTest::mousePress(view->viewport(), Qt::LeftButton, {}, from);
        QTest::mouseMove(view->viewport(), (from + to) / 2);
        QTest::mouseMove(view->viewport(), to);
        QTest::mouseRelease(view->viewport(), Qt::LeftButton, {}, to);
        QVERIFY(view->isZoomed());
        QVERIFY2(qAbs(x->min() - 2) < 0.05 && qAbs(x->max() - 6) < 0.05,
                 qPrintable(QStringLiteral("%1..%2").arg(x->min()).arg(x->max())));
        QVERIFY(reset->isVisible());
        QTest::mouseClick(reset, Qt::LeftButton);
        QVERIFY(!view->isZoomed());
        QCOMPARE(x->min(), 0.0);
        QCOMPARE(x->max(), 10.0);

        // Keys: + zooms around the middle, → pans, never past the end of the data's range, Esc resets.
        view->setFocus();
        QTest::keyClick(view.get(), Qt::Key_Plus);
        QVERIFY(view->isZoomed());
        QCOMPARE(x->min(), 1.0);
        QCOMPARE(x->max(), 9.0);
        QTest::keyClick(view.get(), Qt::Key_Right);
        QVERIFY(x->min() > 1.0);
        for (int i = 0; i < 20; ++i) {
            QTest::keyClick(view.get(), Qt::Key_Right);
        }
        QCOMPARE(x->max(), 10.0);
        QCOMPARE(x->min(), 2.0);
        // Shift+drag pans too: dragging right shows earlier seconds.
        const QPoint centre = plotCentre(view.get());
        QTest::mousePress(view->viewport(), Qt::LeftButton, Qt::ShiftModifier, centre);
        QTest::mouseMove(view->viewport(), centre + QPoint(60, 0));
        QTest::mouseRelease(view->viewport(), Qt::LeftButton, Qt::ShiftModifier, centre + QPoint(60, 0));
        QVERIFY(x->max() < 10.0);
        QCOMPARE(x->max() - x->min(), 8.0);
        QTest::keyClick(view.get(), Qt::Key_Escape);
        QVERIFY(!view->isZoomed());
        QCOMPARE(x->min(), 0.0);
        QCOMPARE(x->max(), 10.0);
    }

    // Built as the compare view builds its percentile chart: x is -log10(1 - p) on a QCategoryAxis.
    void ninesAxisSurvivesZoomAndRebuild()
    {
        std::unique_ptr<InteractiveChartView> view(makeChartView(QStringLiteral("Latency by percentile"),
                                                                 QStringLiteral("percentile"),
                                                                 QStringLiteral("latency (ms)"), nullptr));
        view->setXLabelFormatter(benchdeck::ui::ninesPercentile);
        QChart* chart = view->chart();
        const auto build = [chart] {
            chart->removeAllSeries();
            for (auto* axis : chart->axes()) {
                chart->removeAxis(axis);
                delete axis;
            }
            auto* nines = new QCategoryAxis(chart);
            nines->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
            const QStringList labels = {QStringLiteral("0%"), QStringLiteral("90%"), QStringLiteral("99%"),
                                        QStringLiteral("99.9%"), QStringLiteral("99.99%")};
            for (int i = 0; i < labels.size(); ++i) {
                nines->append(labels[i], i);
            }
            nines->setRange(0, 4.15);
            nines->setTitleText(QStringLiteral("percentile"));
            auto* latency = new QValueAxis(chart);
            latency->setTitleText(QStringLiteral("latency (ms)"));
            latency->setRange(0, 20);
            chart->addAxis(nines, Qt::AlignBottom);
            chart->addAxis(latency, Qt::AlignLeft);
            auto* line = new QLineSeries(chart);
            line->setName(QStringLiteral("run-a"));
            for (int i = 0; i <= 8; ++i) {
                line->append(i * 0.5, 1 + i * 1.5);
            }
            chart->addSeries(line);
            line->attachAxis(nines);
            line->attachAxis(latency);
            return std::pair{nines, line};
        };
        QCategoryAxis* nines = nullptr;
        QLineSeries* line = nullptr;
        std::tie(nines, line) = build();
        view->refreshInteractions();
        show(view.get());
        const QStringList labels = nines->categoriesLabels();

        QTest::mouseMove(view->viewport(), viewPosOf(view.get(), {3, 10}, line));
        QCOMPARE(view->hoverText(), QStringLiteral("run-a: p99.9, 10 ms"));

        wheel(view.get(), viewPosOf(view.get(), {3, 10}, line), 240);
        QVERIFY(view->isZoomed());
        QCOMPARE(chart->axes(Qt::Horizontal).size(), 1);
        QCOMPARE(chart->axes(Qt::Horizontal).first(), nines);
        QCOMPARE(nines->categoriesLabels(), labels);
        QVERIFY(nines->max() - nines->min() < 4.15 * 0.7);
        QVERIFY(nines->min() < 3 && nines->max() > 3);
        QCOMPARE(view->hoverText(), QStringLiteral("run-a: p99.9, 10 ms")); // still under the cursor
        QTest::mouseMove(view->viewport(), viewPosOf(view.get(), {2.5, 8.5}, line));
        QCOMPARE(view->hoverText(), QStringLiteral("run-a: p99.68, 8.5 ms"));

        // Rebuilt while zoomed: the new axis is whole, the view knows it is no longer zoomed and zooms again.
        QSignalSpy zoomed(view.get(), &InteractiveChartView::zoomedChanged);
        std::tie(nines, line) = build();
        view->refreshInteractions();
        QVERIFY(!view->isZoomed());
        QCOMPARE(zoomed.count(), 1);
        QVERIFY(view->hoverText().isEmpty()); // it named a series that is gone
        QCOMPARE(nines->max(), 4.15);
        view->resetZoom(); // harmless when there is nothing to reset
        QCOMPARE(nines->max(), 4.15);
        wheel(view.get(), viewPosOf(view.get(), {2, 7}, line), 120);
        QVERIFY(view->isZoomed());
        doubleClick(view.get(), plotCentre(view.get()));
        QCOMPARE(nines->min(), 0.0);
        QCOMPARE(nines->max(), 4.15);
    }

    void barsHoverButDoNotZoom()
    {
        std::unique_ptr<InteractiveChartView> view(
            makeChartView(QStringLiteral("Throughput"), QString(), QStringLiteral("requests per second"), nullptr));
        QChart* chart = view->chart();
        for (auto* axis : chart->axes()) {
            chart->removeAxis(axis);
            delete axis;
        }
        auto* set = new QBarSet(QStringLiteral("req/s"));
        *set << 1200 << 800;
        auto* series = new QBarSeries(chart);
        series->append(set);
        chart->addSeries(series);
        auto* categories = new QBarCategoryAxis(chart);
        categories->append({QStringLiteral("run-a"), QStringLiteral("run-b")});
        auto* rps = new QValueAxis(chart);
        rps->setTitleText(QStringLiteral("requests per second"));
        rps->setRange(0, 1500);
        chart->addAxis(categories, Qt::AlignBottom);
        chart->addAxis(rps, Qt::AlignLeft);
        series->attachAxis(categories);
        series->attachAxis(rps);
        view->refreshInteractions();
        show(view.get());

        QTest::mouseMove(view->viewport(), viewPosOf(view.get(), {1, 400}, series));
        QCOMPARE(view->hoverText(), QStringLiteral("req/s · run-b: 800 requests per second"));
        QTest::mouseMove(view->viewport(), viewPosOf(view.get(), {0, 600}, series));
        QCOMPARE(view->hoverText(), QStringLiteral("req/s · run-a: 1200 requests per second"));

        wheel(view.get(), plotCentre(view.get()), 120);
        QVERIFY(!view->isZoomed());
        QCOMPARE(rps->max(), 1500.0);

        // A bar set's legend entry hides the set (drawn transparent) and brings it back.
        const QPoint entry = legendEntry(view.get(), QStringLiteral("req/s"));
        QVERIFY(!entry.isNull());
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, entry);
        QVERIFY(!view->seriesShown(QStringLiteral("req/s")));
        QCOMPARE(set->color().alpha(), 0);
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, entry);
        QVERIFY(view->seriesShown(QStringLiteral("req/s")));
        QCOMPARE(set->color().alpha(), 255);
    }

    void legendEntryHidesAndShowsItsSeries()
    {
        std::unique_ptr<InteractiveChartView> view(makeChartView(QStringLiteral("Latency percentiles"),
                                                                 QStringLiteral("time (s)"),
                                                                 QStringLiteral("latency (ms)"), nullptr));
        QLineSeries* p50 = addLine(view->chart(), QStringLiteral("p50"), Qt::blue);
        show(view.get());
        // Added after the view was shown, as the live view's series could be: picked up on the click.
        QLineSeries* p99 = addLine(view->chart(), QStringLiteral("p99"), Qt::red);
        for (int t = 0; t <= 10; ++t) {
            p50->append(t, 1 + t * 0.1);
            p99->append(t, 5 + t * 0.5);
        }
        QTest::qWait(50); // the legend lays out the new entry

        const QPoint entry = legendEntry(view.get(), QStringLiteral("p99"));
        QVERIFY(!entry.isNull());
        QVERIFY(view->seriesShown(QStringLiteral("p99")));
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, entry);
        QVERIFY(!p99->isVisible());
        QVERIFY(!view->seriesShown(QStringLiteral("p99")));
        QVERIFY(view->seriesShown(QStringLiteral("p50")));
        QLegendMarker* marker = markerOf(view.get(), QStringLiteral("p99"));
        QVERIFY(marker && marker->isVisible()); // still there to click again
        QVERIFY(marker->labelBrush().color().alpha() < 255);
        QVERIFY(!legendEntry(view.get(), QStringLiteral("p99")).isNull());

        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, entry);
        QVERIFY(p99->isVisible());
        QVERIFY(view->seriesShown(QStringLiteral("p99")));
        QCOMPARE(markerOf(view.get(), QStringLiteral("p99"))->labelBrush().color().alpha(), 255);
        QVERIFY(!view->seriesShown(QStringLiteral("no such series")));
    }

    // The live view's Stop is Esc on the window: while a chart is zoomed and focused, Esc resets the zoom instead.
    void escapeResetsZoomBeforeWindowShortcut()
    {
        QWidget window;
        auto* view =
            makeChartView(QStringLiteral("Errors"), QStringLiteral("time (s)"), QStringLiteral("errors/s"), &window);
        (new QVBoxLayout(&window))->addWidget(view);
        int stops = 0;
        auto* stop = new QShortcut(QKeySequence(Qt::Key_Escape), &window);
        connect(stop, &QShortcut::activated, &window, [&stops] { ++stops; });
        window.resize(600, 400);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        view->setFocus();
        QTest::keyClick(view, Qt::Key_Minus); // nothing to zoom out of
        QVERIFY(!view->isZoomed());
        QTest::keyClick(view, Qt::Key_Plus);
        QVERIFY(view->isZoomed());
        QTest::keyClick(view, Qt::Key_Escape);
        QVERIFY(!view->isZoomed());
        QCOMPARE(stops, 0);
        QTest::keyClick(view, Qt::Key_Escape);
        QCOMPARE(stops, 1);
    }

    void contextMenuCopiesAndResets()
    {
        std::unique_ptr<InteractiveChartView> view(
            makeChartView(QStringLiteral("Throughput"), QStringLiteral("time (s)"), QStringLiteral("req/s"), nullptr));
        addLine(view->chart(), QStringLiteral("req/s"), Qt::darkGreen)->append(5, 50);
        show(view.get());
        view->setFocus();
        QTest::keyClick(view.get(), Qt::Key_Plus);
        QVERIFY(view->isZoomed());

        // Picks the action named `choice` from the menu the right-click opens; returns what the menu offered.
        const auto rightClick = [&view](const QString& choice) {
            QStringList offered;
            QTimer::singleShot(0, view.get(), [&offered, choice] {
                auto* menu = qobject_cast<QMenu*>(QApplication::activePopupWidget());
                QVERIFY(menu);
                QAction* chosen = nullptr;
                for (QAction* action : menu->actions()) {
                    if (!action->isSeparator()) {
                        offered << action->text() + (action->isEnabled() ? QString() : QStringLiteral(" (disabled)"));
                    }
                    if (action->text() == choice) {
                        chosen = action;
                    }
                }
                menu->close(); // before any check can fail: an open menu would hold the test in exec()
                QVERIFY(chosen);
                chosen->trigger();
            });
            const QPoint at = plotCentre(view.get());
            QContextMenuEvent event(QContextMenuEvent::Mouse, at, view->viewport()->mapToGlobal(at));
            QApplication::sendEvent(view->viewport(), &event);
            return offered;
        };
        QGuiApplication::clipboard()->clear();
        const QStringList expected = {QStringLiteral("Copy chart as image"), QStringLiteral("Save as PNG…"),
                                      QStringLiteral("Save as SVG…"), QStringLiteral("Reset zoom")};
        QCOMPARE(rightClick(QStringLiteral("Copy chart as image")), expected);
        const QImage copied = QGuiApplication::clipboard()->image();
        QVERIFY(!copied.isNull());
        QVERIFY(copied.width() >= 500 && copied.height() >= 300);
        QVERIFY(view->isZoomed()); // a right-click is not a zoom out
        QCOMPARE(rightClick(QStringLiteral("Reset zoom")), expected);
        QVERIFY(!view->isZoomed());
    }

    void savesPngAndSvg()
    {
        std::unique_ptr<InteractiveChartView> view(makeChartView(
            QStringLiteral("Errors over time"), QStringLiteral("time (s)"), QStringLiteral("errors/s"), nullptr));
        QLineSeries* line = addLine(view->chart(), QStringLiteral("errors/s"), Qt::red);
        line->append(0, 0.5);
        line->append(5, 0.75);
        show(view.get());
        QTest::mouseMove(view->viewport(), viewPosOf(view.get(), {5, 0.75}, line));
        QVERIFY(!view->hoverText().isEmpty());

        const QString png = dir_.filePath(QStringLiteral("chart.png"));
        QVERIFY(view->savePng(png));
        const QImage image(png);
        QVERIFY(!image.isNull());
        QVERIFY(image.width() >= 500 && image.height() >= 300);

        const QString svgPath = dir_.filePath(QStringLiteral("chart.svg"));
        QVERIFY(view->saveSvg(svgPath));
        QFile svg(svgPath);
        QVERIFY(svg.open(QIODevice::ReadOnly));
        const QByteArray content = svg.readAll();
        QXmlStreamReader xml(content);
        QVERIFY(xml.readNextStartElement());
        QCOMPARE(xml.name(), QLatin1String("svg"));
        while (!xml.atEnd()) {
            xml.readNext();
        }
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        QVERIFY(content.contains("Errors over time"));
        QVERIFY(!view->hoverText().isEmpty()); // the picture left out the label, the view keeps it

        QVERIFY(!view->savePng(dir_.filePath(QStringLiteral("missing/chart.png"))));
        QVERIFY(!view->saveSvg(dir_.filePath(QStringLiteral("missing/chart.svg"))));
    }
};

QTEST_MAIN(TestCharts)
#include "tst_charts.moc"
