// SPDX-License-Identifier: Apache-2.0
#include "junit.h"

#include <QByteArray>
#include <QString>
#include <QXmlStreamWriter>
#include <algorithm>
#include <cmath>

namespace benchdeck::report {
namespace {

QString seconds(double value)
{
    return QString::number(std::isfinite(value) ? std::max(0.0, value) : 0.0, 'f', 3);
}

// XML 1.0 cannot carry most control characters, even escaped; a label could hold one.
QString xmlSafe(const std::string& text)
{
    QString out = QString::fromStdString(text);
    for (QChar& c : out) {
        if (c.unicode() < 0x20 && c != QLatin1Char('\t') && c != QLatin1Char('\n') && c != QLatin1Char('\r')) {
            c = QChar(0xFFFD);
        }
    }
    return out;
}

} // namespace

std::string junitXml(const std::string& suiteName, const std::vector<ThresholdVerdict>& verdicts,
                     double durationSeconds)
{
    const auto failures = std::count_if(verdicts.begin(), verdicts.end(), [](const auto& v) { return !v.passed; });
    const QString tests = QString::number(verdicts.size());
    const QString failed = QString::number(failures);
    const QString name = xmlSafe(suiteName);

    QByteArray xml;
    QXmlStreamWriter writer(&xml);
    writer.setAutoFormatting(true);
    writer.setAutoFormattingIndent(2);
    writer.writeStartDocument();
    writer.writeStartElement(QStringLiteral("testsuites"));
    writer.writeAttribute(QStringLiteral("name"), name);
    writer.writeAttribute(QStringLiteral("tests"), tests);
    writer.writeAttribute(QStringLiteral("failures"), failed);
    writer.writeAttribute(QStringLiteral("errors"), QStringLiteral("0"));
    writer.writeAttribute(QStringLiteral("time"), seconds(durationSeconds));
    writer.writeStartElement(QStringLiteral("testsuite"));
    writer.writeAttribute(QStringLiteral("name"), name);
    writer.writeAttribute(QStringLiteral("tests"), tests);
    writer.writeAttribute(QStringLiteral("failures"), failed);
    writer.writeAttribute(QStringLiteral("errors"), QStringLiteral("0"));
    writer.writeAttribute(QStringLiteral("skipped"), QStringLiteral("0"));
    writer.writeAttribute(QStringLiteral("time"), seconds(durationSeconds));
    for (const auto& verdict : verdicts) {
        const QString line = xmlSafe(verdict.line);
        writer.writeStartElement(QStringLiteral("testcase"));
        writer.writeAttribute(QStringLiteral("name"), xmlSafe(verdict.expression));
        writer.writeAttribute(QStringLiteral("classname"), QStringLiteral("benchdeck.thresholds"));
        writer.writeAttribute(QStringLiteral("time"), seconds(0));
        if (!verdict.passed) {
            writer.writeStartElement(QStringLiteral("failure"));
            writer.writeAttribute(QStringLiteral("message"), line);
            writer.writeAttribute(QStringLiteral("type"), QStringLiteral("threshold"));
            writer.writeCharacters(line);
            writer.writeEndElement();
        }
        writer.writeTextElement(QStringLiteral("system-out"), line);
        writer.writeEndElement();
    }
    writer.writeEndElement();
    writer.writeEndElement();
    writer.writeEndDocument();
    return xml.toStdString();
}

} // namespace benchdeck::report
