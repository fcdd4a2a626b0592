// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QChartView>
#include <QPointer>

#include <functional>

class QBarSet;
class QGraphicsEllipseItem;
class QGraphicsRectItem;
class QGraphicsSimpleTextItem;
class QRubberBand;
class QToolButton;
class QValueAxis;

namespace benchdeck::ui {

// A chart people can read and take away: hovering shows the exact value under the cursor; a value x axis
// (time, the percentile "nines") zooms with the wheel, a drag or +/-, and pans with Shift/middle-drag or the
// arrow keys; a legend entry toggles its series; right-click copies or saves the picture.
// Zoom only ever changes the x axis' range, never the axis itself, so a category axis keeps its labels.
// Its own rubber band rather than QChartView's: that one zooms both axes' history and zooms out on right-click.
class InteractiveChartView : public QChartView {
    Q_OBJECT
public:
    explicit InteractiveChartView(QChart* chart, QWidget* parent = nullptr);
    ~InteractiveChartView() override;

    // What the hover label says ("p99: 12 s, 3.5 ms"), empty while none is shown.
    QString hoverText() const;
    // How the hover label writes an x value, instead of "<x> <unit of the x axis title>".
    void setXLabelFormatter(std::function<QString(double)> formatter);

    bool isZoomed() const;
    // Whether the series (or bar set) of that legend name is drawn; false when there is none.
    bool seriesShown(const QString& name) const;

    // Pictures of what the view shows, without the hover label; false when the file cannot be written.
    QImage toImage() const;
    bool savePng(const QString& path) const;
    bool saveSvg(const QString& path) const;

public slots:
    void resetZoom();
    // Picks up series, bar sets and legend markers added since: call after rebuilding the chart.
    void refreshInteractions();
    void copyToClipboard() const;

signals:
    void zoomedChanged(bool zoomed);

protected:
    bool event(QEvent* event) override;
    void showEvent(QShowEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void leaveEvent(QEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;

private slots:
    void toggleFromLegend();
    void showBarValue(bool hovered, int index, QBarSet* set);

private:
    enum class Drag { None, Pending, RubberBand, Pan };
    enum class TipSource { None, Point, Bar };

    bool handlesKey(const QKeyEvent* event) const;
    QValueAxis* zoomAxis() const;
    QRectF plotRectInView() const;
    double valueAtViewX(double x) const;
    void setXRange(double min, double max);
    void zoomAround(double centre, double factor);
    void panBy(double fraction);
    void forgetZoom();
    void placeResetButton();
    void updateHover(const QPoint& viewPos);
    void showTip(const QString& text, const QPointF& scenePos, TipSource source, const QColor& color);
    void hideTip();
    void renderChart(QPainter* painter, const QRectF& target) const;
    void saveWithDialog(const QString& format);

    std::function<QString(double)> xFormatter_;
    QGraphicsRectItem* tipBox_;
    QGraphicsSimpleTextItem* tipText_;
    QGraphicsEllipseItem* tipDot_;
    TipSource tipSource_ = TipSource::None;
    QRubberBand* rubberBand_;
    QToolButton* resetButton_;
    Drag drag_ = Drag::None;
    QPoint dragStart_;
    QPoint lastPos_;
    QList<QAbstractSeries*> seenSeries_; // what refreshInteractions() last connected
    bool zoomed_ = false;
    // The x range before the first zoom step, on the axis it belongs to; a rebuilt chart has a new axis.
    QPointer<QValueAxis> homeAxis_;
    QMetaObject::Connection homeWatch_;
    double homeMin_ = 0;
    double homeMax_ = 0;
};

} // namespace benchdeck::ui
