// SPDX-License-Identifier: Apache-2.0
#include "report_files.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSaveFile>

namespace benchdeck::comparison {
namespace {

// Written to a temporary file beside it and renamed into place: a failed write leaves the old file whole.
bool writeFile(const QString& path, const QByteArray& bytes, std::string* error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        *error = "cannot write '" + path.toStdString() + "': " + file.errorString().toStdString();
        return false;
    }
    return true;
}

} // namespace

std::optional<ReportFormat> parseReportFormat(const QString& name)
{
    const QString lower = name.toLower();
    if (lower == QLatin1String("html")) {
        return ReportFormat::Html;
    }
    if (lower == QLatin1String("pdf")) {
        return ReportFormat::Pdf;
    }
    if (lower == QLatin1String("md") || lower == QLatin1String("markdown")) {
        return ReportFormat::Markdown;
    }
    if (lower == QLatin1String("csv")) {
        return ReportFormat::Csv;
    }
    if (lower == QLatin1String("json")) {
        return ReportFormat::Json;
    }
    return std::nullopt;
}

QString formatExtension(ReportFormat format)
{
    switch (format) {
    case ReportFormat::Html: return QStringLiteral("html");
    case ReportFormat::Pdf: return QStringLiteral("pdf");
    case ReportFormat::Markdown: return QStringLiteral("md");
    case ReportFormat::Csv: return QStringLiteral("csv");
    case ReportFormat::Json: return QStringLiteral("json");
    }
    return QStringLiteral("html");
}

bool writeReportFile(const ComparisonReport& report, ReportFormat format, const QString& path, std::string* error)
{
    switch (format) {
    case ReportFormat::Html: return writeFile(path, QByteArray::fromStdString(toHtml(report)), error);
    case ReportFormat::Csv: return writeFile(path, QByteArray::fromStdString(toCsv(report)), error);
    case ReportFormat::Json: return writeFile(path, QJsonDocument(toJson(report)).toJson(QJsonDocument::Indented), error);
    case ReportFormat::Markdown: {
        const QFileInfo info(path);
        const QString prefix = info.completeBaseName() + QLatin1Char('-');
        if (!writeFile(path, QByteArray::fromStdString(toMarkdown(report, prefix.toStdString())), error)) {
            return false;
        }
        for (const auto& chart : reportCharts(report)) {
            if (!writeFile(info.dir().filePath(prefix + QString::fromStdString(chart.stem) + QStringLiteral(".svg")),
                           QByteArray::fromStdString(chart.svg), error)) {
                return false;
            }
        }
        return true;
    }
    case ReportFormat::Pdf: *error = "PDF is laid out by writePdf()"; return false;
    }
    return false;
}

bool writePdfSources(const ComparisonReport& report, const QString& folder, std::string* error)
{
    if (!writeFile(QDir(folder).filePath(QStringLiteral("report.html")),
                   QByteArray::fromStdString(toHtml(report, HtmlCharts::ImageFiles)), error)) {
        return false;
    }
    for (const auto& chart : reportCharts(report)) {
        if (!writeFile(QDir(folder).filePath(QString::fromStdString(chart.stem) + QStringLiteral(".svg")),
                       QByteArray::fromStdString(chart.svg), error)) {
            return false;
        }
    }
    return true;
}

} // namespace benchdeck::comparison
