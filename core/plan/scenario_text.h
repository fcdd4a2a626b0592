// SPDX-License-Identifier: Apache-2.0
#pragma once

// What the scenario file's reader and writer share: the workload's names, and text helpers over Qt's
// JSON types.

#include "scenario/scenario.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonValue>
#include <QString>
#include <initializer_list>
#include <string>
#include <string_view>

namespace benchdeck::plan::scenario_text {

using scenario::Check;
using scenario::CheckKind;
using scenario::ExtractFrom;
using scenario::Extractor;
using scenario::Feeder;
using scenario::FeederMode;
using scenario::Header;
using scenario::Scenario;
using scenario::Step;
using scenario::ThinkTime;
using scenario::Workload;

inline QString str(const std::string& text)
{
    return QString::fromStdString(text);
}

// Messages are built by appending: GCC 12 under C++20 warns falsely (-Wrestrict, GCC bug 105329)
// on `"text" + std::string` temporaries.
inline std::string concat(std::initializer_list<std::string_view> parts)
{
    std::string joined;
    for (const std::string_view part : parts) {
        joined.append(part);
    }
    return joined;
}

inline std::string quoted(std::string_view text)
{
    return concat({"\"", text, "\""});
}

inline std::string quoted(const std::string& text)
{
    return quoted(std::string_view(text));
}

inline std::string quoted(const char* text)
{
    return quoted(std::string_view(text));
}

inline std::string quoted(const QString& text)
{
    return quoted(text.toStdString());
}

// QJsonDocument holds only objects and arrays; a one-element array gives Qt's own escaping and
// number format for a single value, so the text we write reads back exactly as Qt would write it.
inline QByteArray valueText(const QJsonValue& value)
{
    const QByteArray list = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return list.mid(1, list.size() - 2);
}

} // namespace benchdeck::plan::scenario_text
