// SPDX-License-Identifier: Apache-2.0
#include "interactive_chart_view.h"

#include "metrics/units.h"

#include <QAbstractBarSeries>
#include <QApplication>
#include <QBarCategoryAxis>
#include <QBarLegendMarker>
#include <QBarSet>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QDir>
#include <QFileDialog>
#include <QGraphicsEllipseItem>
#include <QGraphicsRectItem>
#include <QGraphicsSimpleTextItem>
#include <QLegendMarker>
#include <QMenu>
#include <QMessageBox>
#include <QRegularExpression>
#include <QRubberBand>
#include <QSvgGenerator>
#include <QToolButton>
#include <QValueAxis>
#include <QXYSeries>

#include <algorithm>
#include <cmath>
#include <utility>

namespace benchdeck::ui {
namespace {

constexpr double kHoverRadius = 12; // px: close enough to mean "this point", far enough to be easy to hit
constexpr double kTipZ = 1000;      // above every chart item
constexpr double kTipPadding = 4;
constexpr double kWheelStep = 0.8; // one wheel notch shows 80% of the range
constexpr double kKeyPanShare = 0.1;
constexpr double kMinSpanShare = 1e-4; // deeper than this only shows the gaps between points
constexpr int kMinRubberBand = 4;      // px: a narrower drag is a click that slipped
constexpr double kDimmedAlpha = 0.35;
// A hidden bar set keeps its colours here, on the set, so they go when the set goes.
constexpr const char* kSavedBrush = "benchdeckSavedBrush";
constexpr const char* kSavedLabelBrush = "benchdeckSavedLabelBrush";

// Series names and category labels are markup (legends and axes render it), the hover label is text.
QString plainText(QString markup)
{
    return markup.replace(QLatin1String("&lt;"), QLatin1String("<"))
        .replace(QLatin1String("&gt;"), QLatin1String(">"))
        .replace(QLatin1String("&quot;"), QLatin1String("\""))
        .replace(QLatin1String("&amp;"), QLatin1String("&"));
}

// "latency (ms)" -> "ms"; a title without parentheses is the unit itself ("req/s", "requests per second").
QString unitOf(const QString& axisTitle)
{
    static const QRegularExpression parenthesised(QStringLiteral("\\(([^()]*)\\)\\s*$"));
    const auto match = parenthesised.match(axisTitle);
    return match.hasMatch() ? match.captured(1).trimmed() : plainText(axisTitle).trimmed();
}

QString withUnit(double value, const QString& unit)
{
    const QString number = QString::fromStdString(units::trimmed(value, 3));
    return unit.isEmpty() ? number : number + QLatin1Char(' ') + unit;
}

QString axisUnit(QAbstractSeries* series, Qt::Orientation orientation)
{
    for (const auto* axis : series->attachedAxes()) {
        if (axis->orientation() == orientation) {
            return unitOf(axis->titleText());
        }
    }
    return {};
}

void dim(QLegendMarker* marker, bool dimmed)
{
    const auto fade = [dimmed](QColor color) {
        color.setAlphaF(dimmed ? kDimmedAlpha : 1.0);
        return color;
    };
    QBrush label = marker->labelBrush();
    label.setColor(fade(label.color()));
    marker->setLabelBrush(label);
    QBrush brush = marker->brush();
    brush.setColor(fade(brush.color()));
    marker->setBrush(brush);
    QPen pen = marker->pen();
    pen.setColor(fade(pen.color()));
    marker->setPen(pen);
}

QBrush transparent(QBrush brush)
{
    // Same hue at alpha 0 rather than Qt::transparent: the legend marker is dimmed from this colour.
    QColor color = brush.color();
    color.setAlpha(0);
    brush.setColor(color);
    return brush;
}

// Bar sets cannot be hidden one by one, so a hidden set is drawn transparent; returns whether it shows now.
bool toggle(QBarSet* set)
{
    const QVariant saved = set->property(kSavedBrush);
    if (saved.isValid()) {
        set->setBrush(saved.value<QBrush>());
        set->setLabelBrush(set->property(kSavedLabelBrush).value<QBrush>());
        set->setProperty(kSavedBrush, QVariant());
        set->setProperty(kSavedLabelBrush, QVariant());
        return true;
    }
    set->setProperty(kSavedBrush, QVariant::fromValue(set->brush()));
    set->setProperty(kSavedLabelBrush, QVariant::fromValue(set->labelBrush()));
    set->setBrush(transparent(set->brush()));
    set->setLabelBrush(transparent(set->labelBrush()));
    return false;
}

bool shown(const QBarSet* set)
{
    return !set->property(kSavedBrush).isValid();
}

} // namespace

InteractiveChartView::InteractiveChartView(QChart* chart, QWidget* parent)
    : QChartView(chart, parent)
{
    setRenderHint(QPainter::Antialiasing);
    setFocusPolicy(Qt::StrongFocus); // arrows, +/- and Esc
    tipBox_ = new QGraphicsRectItem();
    tipText_ = new QGraphicsSimpleTextItem(tipBox_);
    tipText_->setPos(kTipPadding, kTipPadding);
    tipDot_ = new QGraphicsEllipseItem(-4, -4, 8, 8);
    for (QGraphicsItem* item : {static_cast<QGraphicsItem*>(tipBox_), static_cast<QGraphicsItem*>(tipDot_)}) {
        item->setZValue(kTipZ);
        item->hide();
        scene()->addItem(item);
    }
    rubberBand_ = new QRubberBand(QRubberBand::Rectangle, viewport());
    // Double-click and Esc are not discoverable; a zoomed chart says how to get back.
    resetButton_ = new QToolButton(viewport());
    resetButton_->setText(tr("Reset zoom"));
    resetButton_->setToolTip(tr("Show the whole range again (double-click the chart or press Esc)"));
    resetButton_->hide();
    connect(resetButton_, &QToolButton::clicked, this, &InteractiveChartView::resetZoom);
    refreshInteractions();
}

InteractiveChartView::~InteractiveChartView()
{
    // The chart dies later, in QGraphicsView's destructor, and its axes and series signal as they go: by then
    // this is no InteractiveChartView any more.
    disconnect(homeWatch_);
    for (auto* series : chart()->series()) {
        disconnect(series, nullptr, this, nullptr);
    }
    for (auto* marker : chart()->legend()->markers()) {
        disconnect(marker, nullptr, this, nullptr);
    }
}

QString InteractiveChartView::hoverText() const
{
    return tipBox_->isVisible() ? tipText_->text() : QString();
}

void InteractiveChartView::setXLabelFormatter(std::function<QString(double)> formatter)
{
    xFormatter_ = std::move(formatter);
}

bool InteractiveChartView::isZoomed() const
{
    return zoomed_ && homeAxis_ && homeAxis_ == zoomAxis();
}

bool InteractiveChartView::seriesShown(const QString& name) const
{
    for (const auto* series : chart()->series()) {
        if (const auto* bars = qobject_cast<const QAbstractBarSeries*>(series)) {
            for (const auto* set : bars->barSets()) {
                if (plainText(set->label()) == name) {
                    return bars->isVisible() && shown(set);
                }
            }
        } else if (plainText(series->name()) == name) {
            return series->isVisible();
        }
    }
    return false;
}

void InteractiveChartView::renderChart(QPainter* painter, const QRectF& target) const
{
    const bool box = tipBox_->isVisible();
    const bool dot = tipDot_->isVisible();
    tipBox_->hide();
    tipDot_->hide();
    scene()->render(painter, target, chart()->sceneBoundingRect());
    tipBox_->setVisible(box);
    tipDot_->setVisible(dot);
}

QImage InteractiveChartView::toImage() const
{
    const QSizeF size = chart()->sceneBoundingRect().size();
    const qreal ratio = devicePixelRatioF();
    QImage image((size * ratio).toSize(), QImage::Format_ARGB32_Premultiplied);
    if (image.isNull()) {
        return image;
    }
    image.setDevicePixelRatio(ratio);
    image.fill(palette().color(QPalette::Base));
    QPainter painter(&image);
    painter.setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
    renderChart(&painter, QRectF(QPointF(0, 0), size));
    return image;
}

bool InteractiveChartView::savePng(const QString& path) const
{
    const QImage image = toImage();
    return !image.isNull() && image.save(path, "PNG");
}

bool InteractiveChartView::saveSvg(const QString& path) const
{
    const QSizeF size = chart()->sceneBoundingRect().size();
    if (size.isEmpty()) {
        return false;
    }
    QSvgGenerator svg;
    svg.setFileName(path);
    svg.setSize(size.toSize());
    svg.setViewBox(QRectF(QPointF(0, 0), size));
    svg.setTitle(plainText(chart()->title()));
    svg.setDescription(tr("Chart exported from Benchdeck"));
    QPainter painter;
    if (!painter.begin(&svg)) {
        return false;
    }
    renderChart(&painter, QRectF(QPointF(0, 0), size));
    return painter.end();
}

void InteractiveChartView::copyToClipboard() const
{
    QGuiApplication::clipboard()->setImage(toImage());
}

void InteractiveChartView::resetZoom()
{
    if (isZoomed()) {
        homeAxis_->setRange(homeMin_, homeMax_);
    }
    forgetZoom();
    hideTip();
}

void InteractiveChartView::refreshInteractions()
{
    setAccessibleName(plainText(chart()->title()));
    if (seenSeries_ != chart()->series()) {
        hideTip(); // it may name a series that is gone
        seenSeries_ = chart()->series();
    }
    for (auto* marker : chart()->legend()->markers()) {
        connect(marker, &QLegendMarker::clicked, this, &InteractiveChartView::toggleFromLegend, Qt::UniqueConnection);
    }
    for (auto* series : std::as_const(seenSeries_)) {
        if (auto* bars = qobject_cast<QAbstractBarSeries*>(series)) {
            connect(bars, &QAbstractBarSeries::hovered, this, &InteractiveChartView::showBarValue,
                    Qt::UniqueConnection);
        }
    }
    if (zoomed_ && !isZoomed()) { // the chart was rebuilt while zoomed: the new axis starts whole
        forgetZoom();
    }
}

void InteractiveChartView::toggleFromLegend()
{
    auto* marker = qobject_cast<QLegendMarker*>(sender());
    if (!marker) {
        return;
    }
    bool nowShown = true;
    if (auto* barMarker = qobject_cast<QBarLegendMarker*>(marker)) {
        nowShown = toggle(barMarker->barset());
    } else {
        QAbstractSeries* series = marker->series();
        series->setVisible(!series->isVisible());
        nowShown = series->isVisible();
        marker->setVisible(true); // hiding a series hides its marker, and that marker is how it comes back
    }
    dim(marker, !nowShown);
    hideTip();
}

void InteractiveChartView::showBarValue(bool hovered, int index, QBarSet* set)
{
    if (!hovered || !shown(set)) {
        if (tipSource_ == TipSource::Bar) {
            hideTip();
        }
        return;
    }
    QString category = QString::number(index + 1);
    QString unit;
    auto* series = qobject_cast<QAbstractSeries*>(sender());
    for (const auto* axis : series ? series->attachedAxes() : chart()->axes()) {
        if (const auto* categories = qobject_cast<const QBarCategoryAxis*>(axis)) {
            category = plainText(categories->at(index));
        } else if (axis->type() == QAbstractAxis::AxisTypeValue) {
            unit = unitOf(axis->titleText());
        }
    }
    showTip(tr("%1 · %2: %3").arg(plainText(set->label()), category, withUnit(set->at(index), unit)),
            mapToScene(lastPos_), TipSource::Bar, set->color());
}

bool InteractiveChartView::handlesKey(const QKeyEvent* event) const
{
    if (!zoomAxis() || (event->modifiers() & (Qt::ControlModifier | Qt::AltModifier | Qt::MetaModifier))) {
        return false;
    }
    switch (event->key()) {
    case Qt::Key_Plus:
    case Qt::Key_Equal:
    case Qt::Key_Minus: return true;
    case Qt::Key_Left:
    case Qt::Key_Right:
    case Qt::Key_Escape: return isZoomed();
    default: return false;
    }
}

bool InteractiveChartView::event(QEvent* event)
{
    // Esc may be a window shortcut (Stop in the live view): while zoomed, Esc here means "reset zoom".
    if (event->type() == QEvent::ShortcutOverride && handlesKey(static_cast<QKeyEvent*>(event))) {
        event->accept();
        return true;
    }
    return QChartView::event(event);
}

void InteractiveChartView::showEvent(QShowEvent* event)
{
    QChartView::showEvent(event);
    refreshInteractions();
    placeResetButton();
}

void InteractiveChartView::resizeEvent(QResizeEvent* event)
{
    QChartView::resizeEvent(event);
    hideTip();
    placeResetButton();
}

void InteractiveChartView::leaveEvent(QEvent* event)
{
    hideTip();
    QChartView::leaveEvent(event);
}

void InteractiveChartView::mousePressEvent(QMouseEvent* event)
{
    refreshInteractions(); // a legend marker of a series added since must be connected before it is clicked
    const bool inPlot = zoomAxis() && plotRectInView().contains(event->position());
    const bool shift = event->modifiers() & Qt::ShiftModifier;
    if (inPlot && event->button() == Qt::LeftButton && !shift) {
        drag_ = Drag::Pending;
    } else if (inPlot && (event->button() == Qt::MiddleButton || (event->button() == Qt::LeftButton && shift))) {
        drag_ = Drag::Pan;
        viewport()->setCursor(Qt::ClosedHandCursor);
    } else {
        QChartView::mousePressEvent(event);
        return;
    }
    dragStart_ = event->position().toPoint();
    event->accept();
}

void InteractiveChartView::mouseMoveEvent(QMouseEvent* event)
{
    lastPos_ = event->position().toPoint();
    switch (drag_) {
    case Drag::Pending:
        if ((lastPos_ - dragStart_).manhattanLength() < QApplication::startDragDistance()) {
            return;
        }
        drag_ = Drag::RubberBand;
        hideTip();
        [[fallthrough]];
    case Drag::RubberBand: {
        const QRectF plot = plotRectInView();
        const double left = std::clamp(double(std::min(dragStart_.x(), lastPos_.x())), plot.left(), plot.right());
        const double right = std::clamp(double(std::max(dragStart_.x(), lastPos_.x())), plot.left(), plot.right());
        rubberBand_->setGeometry(QRectF(QPointF(left, plot.top()), QPointF(right, plot.bottom())).toRect());
        rubberBand_->show();
        return;
    }
    case Drag::Pan: {
        const double width = plotRectInView().width();
        if (width > 0) {
            panBy(double(dragStart_.x() - lastPos_.x()) / width);
        }
        dragStart_ = lastPos_;
        return;
    }
    case Drag::None: break;
    }
    if (chart()->series() != seenSeries_) {
        refreshInteractions();
    }
    QChartView::mouseMoveEvent(event); // the scene's hover events: bar values
    updateHover(lastPos_);
}

void InteractiveChartView::mouseReleaseEvent(QMouseEvent* event)
{
    if (drag_ == Drag::None) {
        QChartView::mouseReleaseEvent(event);
        return;
    }
    if (std::exchange(drag_, Drag::None) == Drag::RubberBand) {
        rubberBand_->hide();
        const QRectF band = rubberBand_->geometry();
        if (band.width() >= kMinRubberBand) {
            setXRange(valueAtViewX(band.left()), valueAtViewX(band.right()));
        }
    }
    viewport()->unsetCursor();
    event->accept();
}

void InteractiveChartView::mouseDoubleClickEvent(QMouseEvent* event)
{
    if (zoomAxis() && plotRectInView().contains(event->position())) {
        drag_ = Drag::None;
        resetZoom();
        event->accept();
        return;
    }
    QChartView::mouseDoubleClickEvent(event);
}

void InteractiveChartView::wheelEvent(QWheelEvent* event)
{
    const int notches = event->angleDelta().y();
    if (!zoomAxis() || notches == 0 || !plotRectInView().contains(event->position())) {
        QChartView::wheelEvent(event);
        return;
    }
    if (notches < 0 && !isZoomed()) {
        event->ignore(); // nothing to zoom out of: let the page around the chart scroll
        return;
    }
    zoomAround(valueAtViewX(event->position().x()), std::pow(kWheelStep, notches / 120.0));
    updateHover(event->position().toPoint()); // the cursor has not moved, the points under it have
    event->accept();
}

void InteractiveChartView::keyPressEvent(QKeyEvent* event)
{
    if (!handlesKey(event)) {
        QChartView::keyPressEvent(event);
        return;
    }
    const QValueAxis* axis = zoomAxis();
    const double centre = (axis->min() + axis->max()) / 2;
    switch (event->key()) {
    case Qt::Key_Plus:
    case Qt::Key_Equal: zoomAround(centre, kWheelStep); break;
    case Qt::Key_Minus: zoomAround(centre, 1 / kWheelStep); break;
    case Qt::Key_Left: panBy(-kKeyPanShare); break;
    case Qt::Key_Right: panBy(kKeyPanShare); break;
    case Qt::Key_Escape: resetZoom(); break;
    default: break;
    }
    event->accept();
}

void InteractiveChartView::contextMenuEvent(QContextMenuEvent* event)
{
    hideTip();
    QMenu menu(this);
    menu.addAction(tr("Copy chart as image"), this, &InteractiveChartView::copyToClipboard);
    menu.addAction(tr("Save as PNG…"), this, [this] { saveWithDialog(QStringLiteral("png")); });
    menu.addAction(tr("Save as SVG…"), this, [this] { saveWithDialog(QStringLiteral("svg")); });
    if (zoomAxis()) {
        menu.addSeparator();
        menu.addAction(tr("Reset zoom"), this, &InteractiveChartView::resetZoom)->setEnabled(isZoomed());
    }
    menu.exec(event->globalPos());
    event->accept();
}

QValueAxis* InteractiveChartView::zoomAxis() const
{
    // QCategoryAxis (the nines) is a QValueAxis too; a QBarCategoryAxis is not, so bar charts do not zoom.
    return qobject_cast<QValueAxis*>(chart()->axes(Qt::Horizontal).value(0));
}

QRectF InteractiveChartView::plotRectInView() const
{
    return mapFromScene(chart()->mapToScene(chart()->plotArea())).boundingRect();
}

double InteractiveChartView::valueAtViewX(double x) const
{
    const QValueAxis* axis = zoomAxis();
    const QRectF plot = plotRectInView();
    if (!axis || plot.width() <= 0) {
        return 0;
    }
    return axis->min() + (x - plot.left()) / plot.width() * (axis->max() - axis->min());
}

void InteractiveChartView::setXRange(double min, double max)
{
    QValueAxis* axis = zoomAxis();
    if (!axis || !(max > min)) {
        return;
    }
    if (!isZoomed()) {
        homeMin_ = axis->min();
        homeMax_ = axis->max();
    }
    const double homeSpan = homeMax_ - homeMin_;
    if (!(homeSpan > 0)) {
        return;
    }
    const double span = std::clamp(max - min, homeSpan * kMinSpanShare, homeSpan);
    if (span >= homeSpan) {
        resetZoom();
        return;
    }
    hideTip();
    const double from = std::clamp(min, homeMin_, homeMax_ - span);
    axis->setRange(from, from + span);
    if (!isZoomed()) {
        zoomed_ = true;
        homeAxis_ = axis;
        homeWatch_ = connect(axis, &QObject::destroyed, this, &InteractiveChartView::forgetZoom);
        resetButton_->show();
        emit zoomedChanged(true);
    }
}

void InteractiveChartView::zoomAround(double centre, double factor)
{
    if (const QValueAxis* axis = zoomAxis()) {
        setXRange(centre - (centre - axis->min()) * factor, centre + (axis->max() - centre) * factor);
    }
}

void InteractiveChartView::panBy(double fraction)
{
    if (const QValueAxis* axis = zoomAxis(); axis && isZoomed()) {
        const double shift = (axis->max() - axis->min()) * fraction;
        setXRange(axis->min() + shift, axis->max() + shift);
    }
}

void InteractiveChartView::forgetZoom()
{
    disconnect(homeWatch_);
    homeAxis_.clear();
    resetButton_->hide();
    if (std::exchange(zoomed_, false)) {
        emit zoomedChanged(false);
    }
}

void InteractiveChartView::placeResetButton()
{
    resetButton_->adjustSize();
    resetButton_->move(viewport()->width() - resetButton_->width() - 6, 6);
}

void InteractiveChartView::updateHover(const QPoint& viewPos)
{
    const QPointF cursor = chart()->mapFromScene(mapToScene(viewPos));
    const QRectF plot = chart()->plotArea().adjusted(-0.5, -0.5, 0.5, 0.5);
    QXYSeries* nearest = nullptr;
    QPointF nearestPoint;
    double nearestDistance = kHoverRadius * kHoverRadius;
    if (plot.contains(cursor)) {
        for (auto* abstract : chart()->series()) {
            auto* series = qobject_cast<QXYSeries*>(abstract);
            if (!series || !series->isVisible()) {
                continue;
            }
            for (const QPointF& point : series->points()) {
                const QPointF at = chart()->mapToPosition(point, series);
                const QPointF offset = at - cursor;
                const double distance = QPointF::dotProduct(offset, offset);
                if (distance <= nearestDistance && plot.contains(at)) {
                    nearest = series;
                    nearestPoint = point;
                    nearestDistance = distance;
                }
            }
        }
    }
    if (!nearest) {
        if (tipSource_ == TipSource::Point) {
            hideTip();
        }
        return;
    }
    const QString x =
        xFormatter_ ? xFormatter_(nearestPoint.x()) : withUnit(nearestPoint.x(), axisUnit(nearest, Qt::Horizontal));
    const QString y = withUnit(nearestPoint.y(), axisUnit(nearest, Qt::Vertical));
    showTip(tr("%1: %2, %3").arg(plainText(nearest->name()), x, y),
            chart()->mapToScene(chart()->mapToPosition(nearestPoint, nearest)), TipSource::Point, nearest->color());
}

void InteractiveChartView::showTip(const QString& text, const QPointF& scenePos, TipSource source, const QColor& color)
{
    const QColor ink = palette().color(QPalette::ToolTipText);
    tipText_->setText(text);
    tipText_->setBrush(ink);
    const QRectF box(QPointF(0, 0), tipText_->boundingRect().size() + QSizeF(2 * kTipPadding, 2 * kTipPadding));
    tipBox_->setRect(box);
    tipBox_->setBrush(palette().color(QPalette::ToolTipBase));
    tipBox_->setPen(QPen(color, 1.5));
    // Above and right of the point, flipped to the other side near the chart's right or top edge.
    const QRectF bounds = chart()->sceneBoundingRect();
    QPointF at = scenePos + QPointF(10, -10 - box.height());
    if (at.x() + box.width() > bounds.right()) {
        at.setX(scenePos.x() - 10 - box.width());
    }
    if (at.y() < bounds.top()) {
        at.setY(scenePos.y() + 10);
    }
    tipBox_->setPos(at);
    tipBox_->show();
    tipDot_->setVisible(source == TipSource::Point);
    tipDot_->setPos(scenePos);
    tipDot_->setBrush(color);
    tipDot_->setPen(QPen(ink, 1));
    tipSource_ = source;
}

void InteractiveChartView::hideTip()
{
    tipBox_->hide();
    tipDot_->hide();
    tipSource_ = TipSource::None;
}

void InteractiveChartView::saveWithDialog(const QString& format)
{
    const bool svg = format == QLatin1String("svg");
    QString name = plainText(chart()->title()).toLower();
    name.replace(QRegularExpression(QStringLiteral("[^a-z0-9]+")), QStringLiteral("-"));
    const QString path = QFileDialog::getSaveFileName(this, svg ? tr("Save chart as SVG") : tr("Save chart as PNG"),
                                                      name + QLatin1Char('.') + format,
                                                      svg ? tr("SVG images (*.svg)") : tr("PNG images (*.png)"));
    if (path.isEmpty()) {
        return;
    }
    if (!(svg ? saveSvg(path) : savePng(path))) {
        QMessageBox::warning(this, tr("Save chart"), tr("Could not write %1.").arg(QDir::toNativeSeparators(path)));
    }
}

} // namespace benchdeck::ui
