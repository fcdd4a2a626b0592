// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "store/run_record.h"

#include <QAbstractTableModel>
#include <QList>
#include <QStringList>

#include <utility>
#include <vector>

namespace benchdeck::ui {

// The tables of the Run details dialog: each one shows one stored run, read-only, from figures the run
// already carries (its summary, totals, series, plan and environment); nothing is measured again here.
// A model's rows are built once in setRun() and only read afterwards.
class RunDetailsTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Role {
        // True on a facts table's section headings ("Plan", "Summary", ...), which span both columns.
        HeadingRole = Qt::UserRole + 1,
    };

    void setRun(const store::StoredRun& run);
    // What a view shows, one line per row, cells joined by " | " (no header): for tests and bug reports.
    QString toText() const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

protected:
    enum class Tone { Plain, Good, Bad };
    struct Row {
        QStringList cells;
        QString toolTip;
        Tone tone = Tone::Plain;
        bool heading = false;
    };

    RunDetailsTableModel(QStringList header, QList<int> numericColumns, QObject* parent);
    // Called inside the model reset; a subclass may keep what else it needs from `run` here.
    virtual std::vector<Row> rowsFor(const store::StoredRun& run) = 0;

private:
    QStringList header_;
    QList<int> numericColumns_; // right-aligned
    std::vector<Row> rows_;
};

// Field | value: the run, its plan as run, environment, summary, phase timings, the open model's schedule,
// the load generator's saturation verdict and the server's resources, in sections.
class RunFactsModel : public RunDetailsTableModel {
    Q_OBJECT
public:
    enum Column { Field, Value, ColumnCount };

    explicit RunFactsModel(QObject* parent = nullptr);

    // The server section's rows (also the Server tab's summary); one "not measured" row when it was not.
    static std::vector<std::pair<QString, QString>> serverFacts(const metrics::ServerStats& server);

protected:
    std::vector<Row> rowsFor(const store::StoredRun& run) override;
};

// Code | count | share of responses, one row per status code that occurred, in code order.
class StatusCodesModel : public RunDetailsTableModel {
    Q_OBJECT
public:
    enum Column { Code, Count, Share, ColumnCount };

    explicit StatusCodesModel(QObject* parent = nullptr);

protected:
    std::vector<Row> rowsFor(const store::StoredRun& run) override;
};

// Kind | count | share of requests | the first failure's own words | what the kind means, one row per
// error kind that occurred.
class ErrorKindsModel : public RunDetailsTableModel {
    Q_OBJECT
public:
    enum Column { Kind, Count, Share, Meaning, ColumnCount };

    explicit ErrorKindsModel(QObject* parent = nullptr);

    // What a kind of error usually means, for people.
    static QString meaning(metrics::ErrorKind kind);

protected:
    std::vector<Row> rowsFor(const store::StoredRun& run) override;
};

// Expression | PASS/FAIL | measured: the stored plan's thresholds judged on this run's result.
class ThresholdsModel : public RunDetailsTableModel {
    Q_OBJECT
public:
    enum Column { Expression, Verdict, Measured, ColumnCount };

    explicit ThresholdsModel(QObject* parent = nullptr);

    // Why there are no rows (the plan has no thresholds, or was not recorded); empty when there are rows.
    QString emptyReason() const { return emptyReason_; }

protected:
    std::vector<Row> rowsFor(const store::StoredRun& run) override;

private:
    QString emptyReason_;
};

// The run's time series, one row per interval (normally a second).
class SeriesModel : public RunDetailsTableModel {
    Q_OBJECT
public:
    enum Column { Time, Seconds, Requests, Rps, Errors, P50, P90, P99, Max, Mean, GeneratorCpu, ColumnCount };

    explicit SeriesModel(QObject* parent = nullptr);

    // Header row plus one row per interval, CRLF line ends and RFC 4180 quoting, latencies in ms; numbers
    // are written the same under every locale ("1234.5", never "1.234,5").
    QString toCsv() const;

protected:
    std::vector<Row> rowsFor(const store::StoredRun& run) override;

private:
    std::vector<metrics::IntervalRecord> series_; // for toCsv(), at full precision
};

} // namespace benchdeck::ui
