// SPDX-License-Identifier: Apache-2.0
#include "pdf_layout.h"

#include <QDir>
#include <QFile>
#include <QFont>
#include <QImage>
#include <QPainter>
#include <QPdfWriter>
#include <QSvgRenderer>
#include <QTextDocument>
#include <QUrl>

namespace benchdeck::comparison {

bool writePdf(const QString& folder, const QString& out, std::string* error)
{
    QFile html(QDir(folder).filePath(QStringLiteral("report.html")));
    if (!html.open(QIODevice::ReadOnly)) {
        *error = "cannot read the report's HTML: " + html.errorString().toStdString();
        return false;
    }
    QTextDocument document;
    // Charts are drawn at three times their size so that print stays sharp.
    const QDir dir(folder);
    for (const QString& name : dir.entryList({QStringLiteral("*.svg")}, QDir::Files)) {
        QSvgRenderer renderer(dir.filePath(name));
        QImage image(renderer.defaultSize() * 3, QImage::Format_ARGB32_Premultiplied);
        image.fill(Qt::white);
        QPainter painter(&image);
        renderer.render(&painter);
        painter.end();
        document.addResource(QTextDocument::ImageResource, QUrl(name), image);
    }
    // A4 holds nine summary columns only at a print-sized font.
    QFont font = document.defaultFont();
    font.setPointSizeF(8);
    document.setDefaultFont(font);
    document.setHtml(QString::fromUtf8(html.readAll()));
    QPdfWriter writer(out);
    writer.setPageSize(QPageSize(QPageSize::A4));
    writer.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout::Millimeter);
    // Qt lays text out at 96 dpi; the same resolution keeps fonts at their point size and lets the
    // charts (rasterised at three times that) fill the page width.
    writer.setResolution(96);
    writer.setTitle(document.metaInformation(QTextDocument::DocumentTitle));
    writer.setCreator(QStringLiteral("Benchdeck"));
    document.setPageSize(writer.pageLayout().paintRectPixels(writer.resolution()).size());
    document.print(&writer);
    if (!QFile::exists(out)) {
        *error = "could not write '" + out.toStdString() + "'";
        return false;
    }
    return true;
}

} // namespace benchdeck::comparison
