// SPDX-License-Identifier: Apache-2.0
#include "run_details_dialog.h"

#include "views/chart_helpers.h"

#include <QClipboard>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QShortcut>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace benchdeck::ui {
namespace {

// How a table uses its width: figures only (columns as wide as their contents), or a last column of words
// that takes the rest and wraps, its rows growing to fit.
enum class Fit { Compact, WrapLast };

QTableView* makeTable(QAbstractItemModel* model, Fit fit, const QString& objectName, const QString& accessibleName,
                      QWidget* parent)
{
    auto* table = new QTableView(parent);
    table->setObjectName(objectName);
    table->setAccessibleName(accessibleName);
    table->setModel(model);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setAlternatingRowColors(true);
    table->verticalHeader()->hide();
    table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table->setWordWrap(fit == Fit::WrapLast);
    if (fit == Fit::WrapLast) {
        table->horizontalHeader()->setSectionResizeMode(model->columnCount() - 1, QHeaderView::Stretch);
        table->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    }
    return table;
}

// A label that explains an empty table, shown in its place.
QLabel* makeNote(const QString& text, const QString& objectName, QWidget* parent)
{
    auto* label = new QLabel(text, parent);
    label->setObjectName(objectName);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

double mebibytes(uint64_t bytes)
{
    return double(bytes) / (1024.0 * 1024.0); // as ServerStats' peakRssMb and meanRssMb
}

} // namespace

RunDetailsDialog::RunDetailsDialog(store::StoredRun run, QWidget* parent)
    : QDialog(parent)
    , run_(std::move(run))
    , facts_(new RunFactsModel(this))
    , statusCodes_(new StatusCodesModel(this))
    , errorKinds_(new ErrorKindsModel(this))
    , thresholds_(new ThresholdsModel(this))
    , series_(new SeriesModel(this))
    , tabs_(new QTabWidget(this))
{
    const QString name = QString::fromStdString(run_.listing.label.empty() ? run_.listing.url : run_.listing.label);
    setWindowTitle(tr("Run %1 — %2").arg(run_.listing.id).arg(name));
    setObjectName(QStringLiteral("runDetailsDialog"));
    setSizeGripEnabled(true);
    for (RunDetailsTableModel* model :
         std::initializer_list<RunDetailsTableModel*>{facts_, statusCodes_, errorKinds_, thresholds_, series_}) {
        model->setRun(run_);
    }

    tabs_->setObjectName(QStringLiteral("runDetailsTabs"));
    tabs_->setAccessibleName(tr("Run details"));
    tabs_->addTab(makeOverviewTab(), tr("&Overview"));
    tabs_->addTab(makeResponsesTab(), tr("&Responses"));
    tabs_->addTab(makeThresholdsTab(), tr("&Thresholds"));
    tabs_->addTab(makeServerTab(), tr("&Server"));
    tabs_->addTab(makeSeriesTab(), tr("&Per second"));

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->setObjectName(QStringLiteral("runDetailsButtons"));
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(tabs_, 1);
    layout->addWidget(buttons);
    setMinimumSize(720, 480); // the Responses tab side by side and the charts readable; fits 1024×700
    resize(900, 600);
}

QWidget* RunDetailsDialog::makeOverviewTab()
{
    auto* tab = new QWidget(this);
    tab->setObjectName(QStringLiteral("overviewTab"));
    auto* table = makeTable(facts_, Fit::WrapLast, QStringLiteral("factsTable"), tr("Run facts"), tab);
    for (int row = 0; row < facts_->rowCount(); ++row) {
        if (facts_->index(row, 0).data(RunDetailsTableModel::HeadingRole).toBool()) {
            table->setSpan(row, 0, 1, RunFactsModel::ColumnCount);
        }
    }
    auto* layout = new QVBoxLayout(tab);
    layout->addWidget(table);
    return tab;
}

QWidget* RunDetailsDialog::makeResponsesTab()
{
    auto* tab = new QWidget(this);
    tab->setObjectName(QStringLiteral("responsesTab"));

    auto* codesBox = new QGroupBox(tr("Status codes"), tab);
    auto* codes =
        makeTable(statusCodes_, Fit::Compact, QStringLiteral("statusCodesTable"), tr("Status codes"), codesBox);
    auto* codesLayout = new QVBoxLayout(codesBox);
    codesLayout->addWidget(codes);
    if (statusCodes_->rowCount() == 0) {
        codes->hide();
        codesLayout->addWidget(
            makeNote(tr("No responses came back in this run."), QStringLiteral("noStatusCodesLabel"), codesBox));
    }

    auto* errorsBox = new QGroupBox(tr("Errors by kind"), tab);
    auto* errors =
        makeTable(errorKinds_, Fit::WrapLast, QStringLiteral("errorKindsTable"), tr("Errors by kind"), errorsBox);
    auto* errorsLayout = new QVBoxLayout(errorsBox);
    errorsLayout->addWidget(errors);
    if (errorKinds_->rowCount() == 0) {
        errors->hide();
        errorsLayout->addWidget(makeNote(tr("No errors in this run."), QStringLiteral("noErrorsLabel"), errorsBox));
    } else {
        errorsLayout->addWidget(makeNote(tr("Each kind keeps the words of its first failure in the run."),
                                         QStringLiteral("errorKindsNote"), errorsBox));
    }

    // Side by side: the codes are a narrow table, the error kinds' explanations need the width.
    auto* splitter = new QSplitter(Qt::Horizontal, tab);
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(codesBox);
    splitter->addWidget(errorsBox);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 3);
    auto* layout = new QVBoxLayout(tab);
    layout->addWidget(splitter);
    return tab;
}

QWidget* RunDetailsDialog::makeThresholdsTab()
{
    auto* tab = new QWidget(this);
    tab->setObjectName(QStringLiteral("thresholdsTab"));
    auto* layout = new QVBoxLayout(tab);
    auto* table = makeTable(thresholds_, Fit::WrapLast, QStringLiteral("thresholdsTable"), tr("Thresholds"), tab);
    layout->addWidget(table, 1);
    if (thresholds_->rowCount() == 0) {
        table->hide();
        layout->addWidget(makeNote(thresholds_->emptyReason(), QStringLiteral("noThresholdsLabel"), tab));
        layout->addStretch(1);
    } else {
        layout->addWidget(makeNote(tr("The thresholds stored with the run's plan, judged on its stored result."),
                                   QStringLiteral("thresholdsNote"), tab));
    }
    return tab;
}

QWidget* RunDetailsDialog::makeServerTab()
{
    auto* tab = new QWidget(this);
    tab->setObjectName(QStringLiteral("serverTab"));
    auto* layout = new QVBoxLayout(tab);
    const auto& server = run_.result.server;
    if (!server.measured) {
        layout->addWidget(makeNote(tr("The server's resources were not measured in this run. Give the server's "
                                      "process (a PID or a launch command) to measure its memory and CPU."),
                                   QStringLiteral("serverNotMeasuredLabel"), tab));
        layout->addStretch(1);
        return tab;
    }
    auto* summary = new QFormLayout();
    for (const auto& [field, value] : RunFactsModel::serverFacts(server)) {
        auto* label = new QLabel(value, tab);
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);
        label->setWordWrap(true);
        summary->addRow(field + QLatin1Char(':'), label);
    }
    layout->addLayout(summary);
    if (server.samples.empty()) {
        layout->addWidget(
            makeNote(tr("No samples were stored for this run."), QStringLiteral("noServerSamplesLabel"), tab));
        layout->addStretch(1);
        return tab;
    }

    auto* memoryView = makeChartView(tr("Server memory"), tr("time (s)"), tr("RSS (MB)"), tab);
    memoryView->setObjectName(QStringLiteral("serverMemoryChart"));
    memoryView->setAccessibleName(tr("Server memory over time"));
    auto* cpuView = makeChartView(tr("Server CPU"), tr("time (s)"), tr("CPU (% of a core)"), tab);
    cpuView->setObjectName(QStringLiteral("serverCpuChart"));
    cpuView->setAccessibleName(tr("Server CPU over time"));
    auto* rss = addLine(memoryView->chart(), tr("RSS"), QColor(0x15, 0x65, 0xc0));
    auto* cpu = addLine(cpuView->chart(), tr("CPU"), QColor(0xef, 0x8f, 0x00));
    double maxRss = 0;
    double maxCpu = 0;
    double lastT = 0;
    for (const auto& sample : server.samples) {
        const double mb = mebibytes(sample.rssBytes);
        rss->append(sample.t, mb);
        maxRss = std::max(maxRss, mb);
        lastT = std::max(lastT, sample.t);
    }
    for (const auto& [t, percent] : server.cpuPercentOverTime()) {
        cpu->append(t, percent);
        maxCpu = std::max(maxCpu, percent);
    }
    // Whole seconds on the time axis: a short run's default ticks (0, 0.4, 0.8 ...) would print as 0, 0, 1.
    const double span = std::max(1.0, std::ceil(lastT));
    for (auto* view : {memoryView, cpuView}) {
        auto* x = axisX(view->chart());
        x->setRange(0, span);
        if (span <= 10) {
            x->setTickCount(int(span) + 1);
        } else {
            x->applyNiceNumbers();
        }
    }
    fitY(memoryView->chart(), maxRss);
    fitY(cpuView->chart(), maxCpu);
    auto* charts = new QHBoxLayout();
    charts->addWidget(memoryView, 1);
    charts->addWidget(cpuView, 1);
    layout->addLayout(charts, 1);
    return tab;
}

QWidget* RunDetailsDialog::makeSeriesTab()
{
    auto* tab = new QWidget(this);
    tab->setObjectName(QStringLiteral("seriesTab"));
    auto* layout = new QVBoxLayout(tab);
    auto* table = makeTable(series_, Fit::Compact, QStringLiteral("seriesTable"), tr("Per-second figures"), tab);
    layout->addWidget(table, 1);
    if (series_->rowCount() == 0) {
        layout->addWidget(makeNote(tr("This run stored no per-second figures."), QStringLiteral("noSeriesLabel"), tab));
    }
    const QKeySequence copyKeys(QKeySequence::Copy);
    auto* copy = new QPushButton(tr("Copy as CS&V"), tab);
    copy->setObjectName(QStringLiteral("copyCsvButton"));
    copy->setAccessibleName(tr("Copy the per-second table as CSV"));
    copy->setToolTip(
        tr("Copy the per-second table to the clipboard as CSV (%1)").arg(copyKeys.toString(QKeySequence::NativeText)));
    copy->setEnabled(series_->rowCount() > 0);
    connect(copy, &QPushButton::clicked, this, &RunDetailsDialog::copySeriesCsv);
    // Only while the Per second tab has focus: elsewhere Copy keeps its usual meaning.
    auto* shortcut = new QShortcut(copyKeys, tab);
    shortcut->setObjectName(QStringLiteral("copyCsvShortcut"));
    shortcut->setContext(Qt::WidgetWithChildrenShortcut);
    connect(shortcut, &QShortcut::activated, this, &RunDetailsDialog::copySeriesCsv);
    auto* row = new QHBoxLayout();
    row->addStretch(1);
    row->addWidget(copy);
    layout->addLayout(row);
    return tab;
}

void RunDetailsDialog::copySeriesCsv() const
{
    QGuiApplication::clipboard()->setText(series_->toCsv());
}

} // namespace benchdeck::ui
