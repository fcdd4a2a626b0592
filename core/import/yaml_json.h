// SPDX-License-Identifier: Apache-2.0
#pragma once

// YAML as Qt's JSON types, for API descriptions written in YAML (most OpenAPI documents are). Read
// with libyaml's event parser; plain scalars are typed by the YAML 1.2 core schema, so "on" and
// "yes" stay text and 0755 is the number 755, as in JSON-compatible YAML 1.2 tools.

#include <QByteArray>
#include <QJsonValue>
#include <cstddef>
#include <optional>
#include <string>

namespace benchdeck::importers {

// Past this many values, counting each alias as the values it stands for, a document is refused:
// a few lines of nested aliases ("billion laughs") would otherwise expand to gigabytes.
inline constexpr size_t kMaxYamlNodes = 1'000'000;

// The first document of `text` as a JSON value. Mappings become objects (keys as written, so
// `200:` is the key "200"; a list or mapping as a key is an error), sequences arrays. Plain scalars:
// null, ~ and nothing are null; true/false (also True, TRUE...) booleans; decimal, 0x and 0o
// integers and decimal floats (with .inf and .nan) numbers; the rest text. Quoted, literal (|) and
// folded (>) scalars are always text. Anchors and aliases are resolved. Errors name the place as
// an editor shows it: "line 12, column 3: mapping values are not allowed in this context".
std::optional<QJsonValue> yamlToJson(const QByteArray& text, std::string* error);

} // namespace benchdeck::importers
