// SPDX-License-Identifier: Apache-2.0
#include "io/curl_command.h"

#include <QTest>
#include <algorithm>
#include <chrono>
#include <string>
#include <utility>
#include <vector>

using benchdeck::engine::HttpVersion;
using benchdeck::io::parseCurlCommand;
using benchdeck::io::splitCommandLine;

namespace {

constexpr qint64 kDefaultRequestTimeoutUs = 30'000'000;
constexpr qint64 kDefaultConnectTimeoutUs = 10'000'000;

std::string str(const QByteArray& bytes)
{
    return std::string(bytes.constData(), size_t(bytes.size()));
}

QByteArray bytes(const std::string& s)
{
    return QByteArray(s.data(), qsizetype(s.size()));
}

bool sameName(const std::string& a, const QByteArray& b)
{
    return QByteArray::fromStdString(a).compare(b, Qt::CaseInsensitive) == 0;
}

QByteArray joinedWarnings(const std::vector<std::string>& warnings)
{
    QByteArray out;
    for (const auto& w : warnings) {
        out += bytes(w) + '\n';
    }
    return out;
}

// One expected import. A constructor rather than an aggregate, so that rows can leave out trailing
// fields without -Wmissing-field-initializers.
struct Good {
    Good(QByteArray method_, QByteArray url_, QByteArrayList headers_, int headerCount_, QByteArray body_ = {},
         QByteArray flags_ = {}, int warnings_ = 0, qint64 requestTimeoutUs_ = kDefaultRequestTimeoutUs,
         qint64 connectTimeoutUs_ = kDefaultConnectTimeoutUs)
        : method(std::move(method_))
        , url(std::move(url_))
        , headers(std::move(headers_))
        , headerCount(headerCount_)
        , body(std::move(body_))
        , flags(std::move(flags_))
        , warnings(warnings_)
        , requestTimeoutUs(requestTimeoutUs_)
        , connectTimeoutUs(connectTimeoutUs_)
    {
    }

    QByteArray method;
    QByteArray url;
    QByteArrayList headers; // "Name: value", name compared case-insensitively
    int headerCount;        // -1: not checked
    QByteArray body;
    QByteArray flags; // any of "insecure follow http2"
    int warnings;
    qint64 requestTimeoutUs;
    qint64 connectTimeoutUs;
};

void addGood(const char* name, const QByteArray& command, const Good& g)
{
    QTest::newRow(name) << command << g.method << g.url << g.headers << g.headerCount << g.body << g.flags << g.warnings
                        << g.requestTimeoutUs << g.connectTimeoutUs;
}

// ---- Chrome / Edge "Copy as cURL (bash)" ------------------------------------------------------------

const QByteArray kChromeGetCompressed = R"sh(curl 'https://shop.example.com/api/v2/products?category=shoes&page=2' \
  -H 'authority: shop.example.com' \
  -H 'accept: application/json, text/plain, */*' \
  -H 'accept-language: en-US,en;q=0.9,de;q=0.8' \
  -H 'cookie: _ga=GA1.2.1234567890.1700000000; session_id=s%3Aabc123.def' \
  -H 'referer: https://shop.example.com/shoes' \
  -H 'sec-ch-ua: "Not_A Brand";v="8", "Chromium";v="120", "Google Chrome";v="120"' \
  -H 'sec-ch-ua-mobile: ?0' \
  -H 'sec-ch-ua-platform: "macOS"' \
  -H 'sec-fetch-dest: empty' \
  -H 'sec-fetch-mode: cors' \
  -H 'sec-fetch-site: same-origin' \
  -H 'user-agent: Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36' \
  --compressed)sh";

const QByteArray kChromeGraphql = R"sh(curl 'https://api.example.com/graphql' \
  -H 'accept: */*' \
  -H 'accept-language: en-GB,en;q=0.9' \
  -H 'content-type: application/json' \
  -b 'sid=9f8e7d; theme=dark' \
  -H 'origin: https://app.example.com' \
  -H 'priority: u=1, i' \
  -H 'referer: https://app.example.com/' \
  -H 'sec-ch-ua: "Chromium";v="124", "Google Chrome";v="124", "Not-A.Brand";v="99"' \
  -H 'sec-ch-ua-mobile: ?0' \
  -H 'sec-ch-ua-platform: "Windows"' \
  -H 'sec-fetch-dest: empty' \
  -H 'sec-fetch-mode: cors' \
  -H 'sec-fetch-site: same-site' \
  -H 'user-agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36' \
  --data-raw $'{"query":"mutation { post(text: \\"It\'s live\u0021\\") { id } }"}')sh";

const QByteArray kChromeMultipart = R"sh(curl 'https://upload.example.com/profile' \
  -H 'accept: */*' \
  -H 'content-type: multipart/form-data; boundary=----WebKitFormBoundaryx7Yk2' \
  -H 'origin: https://upload.example.com' \
  --data-raw $'------WebKitFormBoundaryx7Yk2\r\nContent-Disposition: form-data; name="nickname"\r\n\r\nZoë\r\n------WebKitFormBoundaryx7Yk2--\r\n' \
  --compressed)sh";

const QByteArray kChromePut = R"sh(curl 'https://api.example.com/v1/items/42' \
  -X 'PUT' \
  -H 'accept: application/json' \
  -H 'content-type: application/json' \
  -H 'x-requested-with: XMLHttpRequest' \
  --data-raw '{"name":"Widget","price":9.5}')sh";

const QByteArray kChromeDelete = R"sh(curl 'https://api.example.com/v1/items/42?force=true' \
  -X 'DELETE' \
  -H 'accept: */*' \
  -H 'authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI0MiJ9.c2lnbmF0dXJl' \
  --compressed)sh";

const QByteArray kChromeLogin = R"sh(curl 'https://accounts.example.com/login' \
  -H 'content-type: application/x-www-form-urlencoded' \
  -H 'origin: https://accounts.example.com' \
  -H 'upgrade-insecure-requests: 1' \
  --data-raw 'username=alice&password=s3cr%21t&remember=on')sh";

// Chrome's "Copy as cURL (cmd)": every argument ^"…^", ^-escaped specials, \" for quotes in values.
const QByteArray kChromeCmd =
    "curl ^\"https://api.example.com/v1/files/a^%^2Fb?q=load^&limit=10^\" ^\n"
    "  -H ^\"accept: application/json^\" ^\n"
    "  -H ^\"content-type: application/json^\" ^\n"
    "  -H ^\"user-agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36^\" ^\n"
    "  --data-raw ^\"^{^\\^\"q^\\^\":^\\^\"caf^\\^\",^\\^\"tags^\\^\":^[^\\^\"a b^\\^\"^]^}^\" ^\n"
    "  --compressed";

const QByteArray kChromeCmdMultiline = "curl ^\"https://notes.example.com/api/notes^\" ^\n"
                                       "  -X ^\"POST^\" ^\n"
                                       "  -H ^\"content-type: text/plain^\" ^\n"
                                       "  --data-raw ^\"first line^\n\nsecond ^<b^> 100^%^\"";

// ---- Firefox "Copy as cURL (POSIX)" -------------------------------------------------------------------

const QByteArray kFirefoxPost =
    R"sh(curl 'https://www.example.org/api/search' -X POST -H 'User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0' -H 'Accept: */*' -H 'Accept-Language: en-US,en;q=0.5' -H 'Accept-Encoding: gzip, deflate, br, zstd' -H 'Content-Type: application/json' -H 'Origin: https://www.example.org' -H 'Connection: keep-alive' -H 'Referer: https://www.example.org/' -H 'Cookie: consent=yes; uid=42' -H 'Sec-Fetch-Dest: empty' -H 'Sec-Fetch-Mode: cors' -H 'Sec-Fetch-Site: same-origin' -H 'Priority: u=0' --data-raw '{"q":"load testing","limit":20}')sh";

const QByteArray kFirefoxGet =
    R"sh(curl 'https://news.example.org/articles/2024/06/benchmarks' -H 'User-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0' -H 'Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8' -H 'Accept-Language: en-US,en;q=0.5' -H 'Accept-Encoding: gzip, deflate, br' -H 'Connection: keep-alive' -H 'Upgrade-Insecure-Requests: 1' -H 'Sec-Fetch-Dest: document' -H 'Sec-Fetch-Mode: navigate' -H 'Sec-Fetch-Site: none' -H 'Sec-Fetch-User: ?1')sh";

const QByteArray kFirefoxLatin1 = R"sh(curl 'https://www.example.org/comment' \
  -X POST \
  -H 'Accept: */*' \
  -H 'Content-Type: text/plain;charset=UTF-8' \
  --data-raw $'caf\xe9 au lait\nit\'s \u20ac5')sh";

// ---- API documentation and hand-written commands ------------------------------------------------------

const QByteArray kGithubList = R"sh(curl -L \
  -H "Accept: application/vnd.github+json" \
  -H "Authorization: Bearer ghp_16C7e42F292c6912E7710c838347Ae178B4a" \
  -H "X-GitHub-Api-Version: 2022-11-28" \
  https://api.github.com/repos/OWNER/REPO/issues)sh";

const QByteArray kGithubCreate = R"sh(curl -L \
  -X POST \
  -H "Accept: application/vnd.github+json" \
  -H "Authorization: Bearer <YOUR-TOKEN>" \
  -H "X-GitHub-Api-Version: 2022-11-28" \
  https://api.github.com/repos/OWNER/REPO/issues \
  -d '{"title":"Found a bug","body":"I'\''m having a problem with this.","labels":["bug"]}')sh";

const QByteArray kStripeCreate = R"sh(curl https://api.stripe.com/v1/payment_intents \
  -u "sk_test_4eC39HqLyjWDarjtT1zdp7dc:" \
  -d amount=2000 \
  -d currency=usd \
  -d "automatic_payment_methods[enabled]"=true)sh";

const QByteArray kStripeList = R"sh(curl -G https://api.stripe.com/v1/customers \
  -u sk_test_4eC39HqLyjWDarjtT1zdp7dc: \
  -d limit=3 \
  --data-urlencode "email=jenny rosen@example.com")sh";

const QByteArray kAwsGateway =
    R"sh(curl -X POST "https://abc123.execute-api.us-east-1.amazonaws.com/prod/orders" -H "x-api-key: AbCdEf123456" -H "Content-Type: application/json" -d "{\"orderId\": \"A-1\", \"qty\": 2}")sh";

const QByteArray kAwsPresigned =
    R"sh(curl -sS -o report.csv 'https://my-bucket.s3.us-east-1.amazonaws.com/reports/2024.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20240101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20240101T000000Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature=abcdef0123456789')sh";

const QByteArray kPatchContinued = "curl -X PATCH \\  \n" // trailing blanks after the backslash
                                   "  \"https://api.example.com/v2/users/7\" \\\n"
                                   "  -H \"Content-Type: application/merge-patch+json\" \\\n"
                                   "  -d \"{\\\"nickname\\\": \\\"Ace\\\"}\"";

// The rows live outside the class: moc cannot skip raw string literals inside member function bodies.

void addImportRows()
{
    QTest::addColumn<QByteArray>("command");
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("url");
    QTest::addColumn<QByteArrayList>("headers");
    QTest::addColumn<int>("headerCount");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("flags");
    QTest::addColumn<int>("warnings");
    QTest::addColumn<qint64>("requestTimeoutUs");
    QTest::addColumn<qint64>("connectTimeoutUs");

    addGood(
        "chrome bash GET, many -H, --compressed", kChromeGetCompressed,
        {"GET",
         "https://shop.example.com/api/v2/products?category=shoes&page=2",
         {"accept: application/json, text/plain, */*",
          R"(sec-ch-ua: "Not_A Brand";v="8", "Chromium";v="120", "Google Chrome";v="120")",
          "cookie: _ga=GA1.2.1234567890.1700000000; session_id=s%3Aabc123.def", "Accept-Encoding: gzip, deflate, br"},
         13});
    addGood("chrome bash POST, -b cookies, $'…' body", kChromeGraphql,
            {"POST",
             "https://api.example.com/graphql",
             {"content-type: application/json", "Cookie: sid=9f8e7d; theme=dark", "priority: u=1, i",
              R"(sec-ch-ua-platform: "Windows")"},
             14,
             R"js({"query":"mutation { post(text: \"It's live!\") { id } }"})js"});
    addGood("chrome bash multipart, \\r\\n escapes", kChromeMultipart,
            {"POST",
             "https://upload.example.com/profile",
             {"content-type: multipart/form-data; boundary=----WebKitFormBoundaryx7Yk2",
              "Accept-Encoding: gzip, deflate, br"},
             4,
             "------WebKitFormBoundaryx7Yk2\r\nContent-Disposition: form-data; name=\"nickname\"\r\n\r\n"
             "Zo\xC3\xAB"
             "\r\n------WebKitFormBoundaryx7Yk2--\r\n"});
    addGood("chrome bash -X 'PUT'", kChromePut,
            {"PUT",
             "https://api.example.com/v1/items/42",
             {"x-requested-with: XMLHttpRequest"},
             3,
             R"({"name":"Widget","price":9.5})"});
    addGood("chrome bash -X 'DELETE'", kChromeDelete,
            {"DELETE",
             "https://api.example.com/v1/items/42?force=true",
             {"authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI0MiJ9.c2lnbmF0dXJl"},
             3});
    addGood("chrome bash form login", kChromeLogin,
            {"POST",
             "https://accounts.example.com/login",
             {"content-type: application/x-www-form-urlencoded"},
             3,
             "username=alice&password=s3cr%21t&remember=on"});
    addGood("chrome bash HEAD", "curl 'https://cdn.example.com/static/app.3f9a.js' -I -H 'accept: */*'",
            {"HEAD", "https://cdn.example.com/static/app.3f9a.js", {"accept: */*"}, 1});
    addGood("chrome cmd form", kChromeCmd,
            {"POST",
             "https://api.example.com/v1/files/a%2Fb?q=load&limit=10",
             {"user-agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36",
              "Accept-Encoding: gzip, deflate, br"},
             4,
             R"({"q":"caf","tags":["a b"]})"});
    addGood("chrome cmd form, CRLF line ends", QByteArray(kChromeCmd).replace("\n", "\r\n"),
            {"POST",
             "https://api.example.com/v1/files/a%2Fb?q=load&limit=10",
             {"content-type: application/json"},
             4,
             R"({"q":"caf","tags":["a b"]})"});
    addGood("chrome cmd form, line break in a value", kChromeCmdMultiline,
            {"POST",
             "https://notes.example.com/api/notes",
             {"content-type: text/plain"},
             1,
             "first line\nsecond <b> 100%"});
    addGood(
        "firefox POSIX POST", kFirefoxPost,
        {"POST",
         "https://www.example.org/api/search",
         {"Accept: */*", "Accept-Encoding: gzip, deflate, br, zstd", "Cookie: consent=yes; uid=42", "Priority: u=0"},
         13,
         R"({"q":"load testing","limit":20})"});
    addGood("firefox POSIX GET", kFirefoxGet,
            {"GET",
             "https://news.example.org/articles/2024/06/benchmarks",
             {"Upgrade-Insecure-Requests: 1", "Sec-Fetch-User: ?1"},
             10});
    addGood("firefox POSIX $'\\xe9' is a raw byte", kFirefoxLatin1,
            {"POST",
             "https://www.example.org/comment",
             {"Content-Type: text/plain;charset=UTF-8"},
             2,
             "caf\xE9"
             " au lait\nit's \xE2\x82\xAC"
             "5"});
    addGood("github GET -L", kGithubList,
            {"GET",
             "https://api.github.com/repos/OWNER/REPO/issues",
             {"Authorization: Bearer ghp_16C7e42F292c6912E7710c838347Ae178B4a", "X-GitHub-Api-Version: 2022-11-28"},
             3,
             {},
             "follow"});
    addGood("github POST -d with '\\'' quoting", kGithubCreate,
            {"POST",
             "https://api.github.com/repos/OWNER/REPO/issues",
             {"Accept: application/vnd.github+json", "Content-Type: application/x-www-form-urlencoded"},
             4,
             R"({"title":"Found a bug","body":"I'm having a problem with this.","labels":["bug"]})",
             "follow"});
    addGood("stripe -u key: and several -d", kStripeCreate,
            {"POST",
             "https://api.stripe.com/v1/payment_intents",
             {"Authorization: Basic c2tfdGVzdF80ZUMzOUhxTHlqV0Rhcmp0VDF6ZHA3ZGM6",
              "Content-Type: application/x-www-form-urlencoded"},
             2,
             "amount=2000&currency=usd&automatic_payment_methods[enabled]=true"});
    addGood("stripe -G with --data-urlencode", kStripeList,
            {"GET",
             "https://api.stripe.com/v1/customers?limit=3&email=jenny%20rosen%40example.com",
             {"Authorization: Basic c2tfdGVzdF80ZUMzOUhxTHlqV0Rhcmp0VDF6ZHA3ZGM6"},
             1});
    addGood(
        "search API -G, name= and =content encodings",
        R"sh(curl -G 'https://search.example.com/v1/query?lang=en' --data-urlencode 'q=C++ & "Qt 6"' --data-urlencode '=raw value' -H 'Accept: application/json')sh",
        {"GET",
         "https://search.example.com/v1/query?lang=en&q=C%2B%2B%20%26%20%22Qt%206%22&raw%20value",
         {"Accept: application/json"},
         1});
    addGood("--json sets body and both JSON headers",
            R"sh(curl --json '{"name":"load-test","replicas":3}' https://api.example.com/v1/deployments)sh",
            {"POST",
             "https://api.example.com/v1/deployments",
             {"Content-Type: application/json", "Accept: application/json"},
             2,
             R"({"name":"load-test","replicas":3})"});
    addGood(
        "--json pieces concatenate, -H Accept wins",
        R"sh(curl --json '{"drink":' --json '"coffee"}' -H 'Accept: application/vnd.api+json' https://api.example.com/orders)sh",
        {"POST",
         "https://api.example.com/orders",
         {"Accept: application/vnd.api+json", "Content-Type: application/json"},
         2,
         R"({"drink":"coffee"})"});
    addGood("aws api gateway, escaped double quotes", kAwsGateway,
            {"POST",
             "https://abc123.execute-api.us-east-1.amazonaws.com/prod/orders",
             {"x-api-key: AbCdEf123456", "Content-Type: application/json"},
             2,
             R"({"orderId": "A-1", "qty": 2})"});
    addGood("aws presigned GET, output flags", kAwsPresigned,
            {"GET",
             "https://my-bucket.s3.us-east-1.amazonaws.com/reports/2024.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256&"
             "X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20240101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date="
             "20240101T000000Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature=abcdef0123456789",
             {},
             0});
    addGood("multi-line PATCH with backslash continuations", kPatchContinued,
            {"PATCH",
             "https://api.example.com/v2/users/7",
             {"Content-Type: application/merge-patch+json"},
             1,
             R"({"nickname": "Ace"})"});
    addGood(
        "elasticsearch -XGET with a body, no scheme",
        R"sh(curl -XGET 'localhost:9200/logs/_search?pretty' -H 'Content-Type: application/json' -d'{"query":{"match_all":{}}}')sh",
        {"GET",
         "http://localhost:9200/logs/_search?pretty",
         {"Content-Type: application/json"},
         1,
         R"({"query":{"match_all":{}}})"});
    addGood("combined short flags, lower-case -X, timeouts",
            "curl -sSLk -X post -m 2.5 --connect-timeout 0.75 https://localhost:8443/health",
            {"POST", "https://localhost:8443/health", {}, 0, {}, "insecure follow", 0, 2'500'000, 750'000});
    addGood("--url, -A, -e ;auto, --compressed",
            "curl --url 'https://example.com/page#section' -A 'Benchbot/1.0' -e 'https://google.com/;auto' "
            "--compressed",
            {"GET",
             "https://example.com/page",
             {"User-Agent: Benchbot/1.0", "Referer: https://google.com/", "Accept-Encoding: gzip, deflate, br"},
             3});
    addGood("-H 'Name;' sends an empty value", "curl -H 'X-Empty;' -H 'X-Trace: 1' https://example.com/",
            {"GET", "https://example.com/", {"X-Empty: ", "X-Trace: 1"}, 2});
    addGood("--http2 on https", "curl --http2 -kL https://h2.example.com/",
            {"GET", "https://h2.example.com/", {}, 0, {}, "http2 insecure follow"});
    addGood("--http2-prior-knowledge", "curl --http2-prior-knowledge https://h2.example.com/stream",
            {"GET", "https://h2.example.com/stream", {}, 0, {}, "http2"});
    addGood("--http1.1 after --http2 wins", "curl --http2 --http1.1 https://h2.example.com/",
            {"GET", "https://h2.example.com/", {}, 0});
    addGood(
        "--oauth2-bearer and -r range", "curl --oauth2-bearer abc.def.ghi -r 0-1023 https://files.example.com/big.iso",
        {"GET", "https://files.example.com/big.iso", {"Authorization: Bearer abc.def.ghi", "Range: bytes=0-1023"}, 2});
    addGood("--url-query, encoded and + verbatim",
            "curl --url-query 'tag=a&b' --url-query '+page=2' 'https://example.com/list?sort=new'",
            {"GET", "https://example.com/list?sort=new&tag=a%26b&page=2", {}, 0});
    addGood("several -b join into one Cookie", "curl -b 'a=1' -b 'b=2; c=3' https://example.com/",
            {"GET", "https://example.com/", {"Cookie: a=1; b=2; c=3"}, 1});
    addGood("--no-insecure undoes -k", "curl -kL --no-insecure https://example.com/",
            {"GET", "https://example.com/", {}, 0, {}, "follow"});
    addGood("$ prompt from documentation, full program path",
            "$ /usr/local/bin/curl -u 'user:p@ss w0rd' https://intranet.example.com/",
            {"GET", "https://intranet.example.com/", {"Authorization: Basic dXNlcjpwQHNzIHcwcmQ="}, 1});
    addGood("curl.exe, --no-http2 undoes --http2",
            "curl.exe -k --http2 --no-http2 https://localhost:5001/weatherforecast",
            {"GET", "https://localhost:5001/weatherforecast", {}, 0, {}, "insecure"});
    addGood("pipe into jq is left out, with a warning", "curl -s https://api.example.com/v1/status | jq .",
            {"GET", "https://api.example.com/v1/status", {}, 0, {}, {}, 1});
    addGood("-H 'Accept:' suppresses --json's Accept",
            R"sh(curl --json '{}' -H 'Accept:' https://api.example.com/ping)sh",
            {"POST", "https://api.example.com/ping", {"Content-Type: application/json"}, 1, "{}", {}, 1});
}

void addBadInputRows()
{
    QTest::addColumn<QByteArray>("command");
    QTest::addColumn<QByteArray>("errorPart");

    QTest::newRow("empty") << QByteArray() << QByteArray("empty");
    QTest::newRow("only blanks and newlines") << QByteArray("  \n \t\n") << QByteArray("empty");
    QTest::newRow("wget") << QByteArray("wget https://example.com/") << QByteArray("not a curl command");
    QTest::newRow("http tool") << QByteArray("http POST https://example.com/ a=1") << QByteArray("not a curl command");
    QTest::newRow("open single quote") << QByteArray("curl 'https://example.com/ -H 'a: b'")
                                       << QByteArray("unbalanced quotes");
    QTest::newRow("open double quote") << QByteArray("curl \"https://example.com/") << QByteArray("unbalanced quotes");
    QTest::newRow("open $'") << QByteArray("curl https://example.com/ --data-raw $'{\"a\":\\'1}")
                             << QByteArray("unbalanced quotes");
    QTest::newRow("open quote in cmd form")
        << QByteArray("curl ^\"https://example.com/^\" ^\n  -H \"accept: */*") << QByteArray("unbalanced quotes");
    QTest::newRow("no URL") << QByteArray("curl -s -H 'Accept: */*' --compressed") << QByteArray("no URL");
    QTest::newRow("ftp") << QByteArray("curl ftp://ftp.example.com/pub/file.txt")
                         << QByteArray("unsupported scheme 'ftp'");
    QTest::newRow("file") << QByteArray("curl file:///etc/passwd") << QByteArray("unsupported scheme 'file'");
    QTest::newRow("header without colon")
        << QByteArray("curl -H 'X-Token abc' https://example.com/") << QByteArray("has no colon");
    QTest::newRow("header name with space")
        << QByteArray("curl -H 'Bad Name: x' https://example.com/") << QByteArray("cannot have");
    QTest::newRow("header injection via $'\\r\\n'")
        << QByteArray("curl -H $'X-A: 1\\r\\nHost: evil.example' https://example.com/") << QByteArray("line break");
    QTest::newRow("option without argument")
        << QByteArray("curl https://example.com/ -H") << QByteArray("-H needs an argument");
    QTest::newRow("bad --max-time") << QByteArray("curl -m soon https://example.com/")
                                    << QByteArray("not a number of seconds");
    QTest::newRow("negative --connect-timeout")
        << QByteArray("curl --connect-timeout -1 https://example.com/") << QByteArray("not a number of seconds");
    QTest::newRow("-I with data") << QByteArray("curl -I -d a=1 https://example.com/") << QByteArray("HEAD");
    QTest::newRow("method with a space") << QByteArray("curl -X 'GET /admin' https://example.com/")
                                         << QByteArray("not a valid HTTP method");
    QTest::newRow("space in URL") << QByteArray("curl 'https://exa mple.com/'") << QByteArray("spaces");
    QTest::newRow("URL without host") << QByteArray("curl https:///path") << QByteArray("no host");
}

void addWarningRows()
{
    QTest::addColumn<QByteArray>("command");
    QTest::addColumn<QByteArray>("url");
    QTest::addColumn<QByteArray>("warningPart");

    const QByteArray site = "https://example.com/";
    QTest::newRow("--proxy, argument skipped") << QByteArray("curl --proxy http://x:3128 https://example.com/") << site
                                               << QByteArray("ignored option --proxy (not supported)");
    QTest::newRow("-x names the long form")
        << QByteArray("curl -x http://proxy.local:3128 https://example.com/") << site << QByteArray("-x/--proxy");
    QTest::newRow("-F multipart") << QByteArray("curl -F 'avatar=@me.png' https://example.com/") << site
                                  << QByteArray("--form (multipart");
    QTest::newRow("--digest") << QByteArray("curl --digest -u admin:secret https://example.com/") << site
                              << QByteArray("--digest (only Basic");
    QTest::newRow("--retry takes an argument")
        << QByteArray("curl --retry 3 https://example.com/") << site << QByteArray("--retry");
    QTest::newRow("unknown long option") << QByteArray("curl --frobnicate https://example.com/") << site
                                         << QByteArray("unknown option --frobnicate");
    QTest::newRow("unknown short option in a cluster")
        << QByteArray("curl -sW https://example.com/") << site << QByteArray("unknown option -W");
    QTest::newRow("-d @file") << QByteArray("curl -d @payload.json https://example.com/") << site
                              << QByteArray("@payload.json");
    QTest::newRow("--data-binary @- (stdin)")
        << QByteArray("curl --data-binary @- https://example.com/") << site << QByteArray("stdin");
    QTest::newRow("-b cookie file") << QByteArray("curl -b cookies.txt https://example.com/") << site
                                    << QByteArray("cookies.txt");
    QTest::newRow("-H @file") << QByteArray("curl -H @headers.txt https://example.com/") << site
                              << QByteArray("@headers.txt");
    QTest::newRow("pseudo-header") << QByteArray("curl -H ':authority: example.com' https://example.com/") << site
                                   << QByteArray("pseudo-header");
    QTest::newRow("shell variable") << QByteArray("curl -H \"Authorization: Bearer $TOKEN\" https://example.com/")
                                    << site << QByteArray("'$TOKEN' is kept as typed");
    QTest::newRow("command substitution")
        << QByteArray("curl -H \"X-Date: $(date +%s)\" https://example.com/") << site << QByteArray("$(date +%s)");
    QTest::newRow("second URL") << QByteArray("curl https://example.com/ https://other.example.com/") << site
                                << QByteArray("extra argument 'https://other.example.com/'");
    QTest::newRow("unquoted & ends the command") << QByteArray("curl https://example.com/?a=1&b=2")
                                                 << QByteArray("https://example.com/?a=1") << QByteArray("'&'");
    QTest::newRow("2>/dev/null") << QByteArray("curl -s https://example.com/ 2>/dev/null") << site << QByteArray("'>'");
    QTest::newRow("line break without backslash")
        << QByteArray("curl https://example.com/\n  -H 'Accept: text/plain'") << site << QByteArray("line break");
    QTest::newRow("second command on the next line")
        << QByteArray("curl https://example.com/\necho done") << site << QByteArray("first line break");
    QTest::newRow("--http2 on http") << QByteArray("curl --http2 http://example.com/")
                                     << QByteArray("http://example.com/") << QByteArray("--http2 on an http://");
    QTest::newRow("-m 0") << QByteArray("curl -m 0 https://example.com/") << site << QByteArray("no limit");
    QTest::newRow("-H 'User-Agent:'") << QByteArray("curl -H 'User-Agent:' https://example.com/") << site
                                      << QByteArray("removes a header");
    QTest::newRow("-u without password") << QByteArray("curl -u admin https://example.com/") << site
                                         << QByteArray("without a password");
    QTest::newRow("--next") << QByteArray("curl https://example.com/ --next https://other.example.com/") << site
                            << QByteArray("--next (only the first request");
    QTest::newRow("--http1.0") << QByteArray("curl -0 https://example.com/") << site
                               << QByteArray("-0/--http1.0 (requests are sent as HTTP/1.1)");
}

void addSplitRows()
{
    QTest::addColumn<QByteArray>("commandLine");
    QTest::addColumn<QByteArrayList>("words");

    QTest::newRow("single quotes keep everything")
        << QByteArray(R"(a 'b  c' '\n$x')") << QByteArrayList{"a", "b  c", "\\n$x"};
    QTest::newRow("double quotes escape only $ ` \" \\")
        << QByteArray(R"("a \"q\" \$x \\ \n")") << QByteArrayList{"a \"q\" $x \\ \\n"};
    QTest::newRow("adjacent quoting joins") << QByteArray(R"('a'"b"c$'d')") << QByteArrayList{"abcd"};
    QTest::newRow("empty quotes are a word") << QByteArray("x '' \"\"") << QByteArrayList{"x", "", ""};
    QTest::newRow("ANSI-C escapes") << QByteArray(R"($'\x41\u00e9\t\'\"\\\101\cA\351')")
                                    << QByteArrayList{QByteArray("A\xC3\xA9\t'\"\\A\x01\xE9")};
    QTest::newRow("ANSI-C surrogate pair")
        << QByteArray(R"($'\ud83d\ude00')") << QByteArrayList{QByteArray("\xF0\x9F\x98\x80")};
    QTest::newRow("backslash-newline continues") << QByteArray("a \\\n  b\\\r\n c") << QByteArrayList{"a", "b", "c"};
    QTest::newRow("backslash escapes outside quotes") << QByteArray(R"(a\ b \'c\')") << QByteArrayList{"a b", "'c'"};
    QTest::newRow("operators are words of their own")
        << QByteArray("a|b && c; d") << QByteArrayList{"a", "|", "b", "&&", "c", ";", "d"};
    QTest::newRow("quoted operators are text") << QByteArray("a '|' \"&&\"") << QByteArrayList{"a", "|", "&&"};
    QTest::newRow("unescaped line break") << QByteArray("a\n\n b\n") << QByteArrayList{"a", "\n", "b"};
    QTest::newRow("comment") << QByteArray("curl x # note\n") << QByteArrayList{"curl", "x"};
    QTest::newRow("cmd carets and continuation") << QByteArray("curl ^\"a^&b^\" ^\n  -H ^\"x: ^\\^\"y^\\^\"^\"")
                                                 << QByteArrayList{"curl", "a&b", "-H", "x: \"y\""};
    QTest::newRow("cmd backslashes before a quote") << QByteArray("curl ^\"C:\\\\dir\\\\^\" ^\n  ^\"a\\\\\\^\"b^\"")
                                                    << QByteArrayList{"curl", "C:\\\\dir\\", "a\\\"b"};
}

} // namespace

class TestCurlCommand : public QObject {
    Q_OBJECT
private slots:
    void importsRealWorldCommands_data() { addImportRows(); }

    void importsRealWorldCommands()
    {
        QFETCH(QByteArray, command);
        QFETCH(QByteArray, method);
        QFETCH(QByteArray, url);
        QFETCH(QByteArrayList, headers);
        QFETCH(int, headerCount);
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, flags);
        QFETCH(int, warnings);
        QFETCH(qint64, requestTimeoutUs);
        QFETCH(qint64, connectTimeoutUs);

        std::string error;
        const auto imported = parseCurlCommand(str(command), &error);
        QVERIFY2(imported, error.c_str());
        const auto& request = imported->request;
        QCOMPARE(bytes(request.method), method);
        QCOMPARE(bytes(request.url), url);
        QCOMPARE(bytes(request.body), body);
        for (const QByteArray& expected : headers) {
            const auto colon = expected.indexOf(": ");
            const QByteArray name = expected.left(colon);
            const QByteArray value = expected.mid(colon + 2);
            const auto found = std::find_if(request.headers.begin(), request.headers.end(),
                                            [&](const auto& h) { return sameName(h.name, name); });
            QVERIFY2(found != request.headers.end(), ("missing header " + name).constData());
            QCOMPARE(bytes(found->value), value);
        }
        if (headerCount >= 0) {
            QCOMPARE(int(request.headers.size()), headerCount);
        }
        const QList<QByteArray> flagList = flags.split(' ');
        QCOMPARE(request.insecure, flagList.contains("insecure"));
        QCOMPARE(request.followRedirects, flagList.contains("follow"));
        QCOMPARE(request.httpVersion == HttpVersion::Http2, flagList.contains("http2"));
        QCOMPARE(qint64(request.requestTimeout.count()), requestTimeoutUs);
        QCOMPARE(qint64(request.connectTimeout.count()), connectTimeoutUs);
        QVERIFY2(int(imported->warnings.size()) == warnings, joinedWarnings(imported->warnings).constData());

        QCOMPARE(request.duration, std::chrono::microseconds(std::chrono::seconds(10)));
        const auto problem = benchdeck::engine::validate(request);
        QVERIFY2(!problem, problem.value_or("").c_str());
    }

    void rejectsBadInput_data() { addBadInputRows(); }

    void rejectsBadInput()
    {
        QFETCH(QByteArray, command);
        QFETCH(QByteArray, errorPart);
        std::string error;
        const auto imported = parseCurlCommand(str(command), &error);
        QVERIFY(!imported);
        QVERIFY2(bytes(error).contains(errorPart), error.c_str());
        QVERIFY2(error.find('\n') == std::string::npos, "the reason must be one line");
    }

    void warnsAboutWhatItIgnores_data() { addWarningRows(); }

    void warnsAboutWhatItIgnores()
    {
        QFETCH(QByteArray, command);
        QFETCH(QByteArray, url);
        QFETCH(QByteArray, warningPart);
        std::string error;
        const auto imported = parseCurlCommand(str(command), &error);
        QVERIFY2(imported, error.c_str());
        QCOMPARE(bytes(imported->request.url), url);
        const QByteArray all = joinedWarnings(imported->warnings);
        QVERIFY2(all.contains(warningPart), all.constData());
        for (const auto& warning : imported->warnings) {
            QVERIFY2(warning.find('\n') == std::string::npos, warning.c_str());
        }
    }

    void outputOnlyFlagsAreSilent()
    {
        std::string error;
        const auto imported = parseCurlCommand(
            "curl -s -S -v -i -# -f --fail-with-body -o /dev/null -w '%{http_code}\\n' -D - -c jar.txt "
            "--no-progress-meter https://example.com/",
            &error);
        QVERIFY2(imported, error.c_str());
        QVERIFY2(imported->warnings.empty(), joinedWarnings(imported->warnings).constData());
        QCOMPARE(imported->request.url, std::string("https://example.com/"));
        QVERIFY(imported->request.headers.empty());
    }

    void splitsWords_data() { addSplitRows(); }

    void splitsWords()
    {
        QFETCH(QByteArray, commandLine);
        QFETCH(QByteArrayList, words);
        std::string error;
        const auto split = splitCommandLine(str(commandLine), &error);
        QVERIFY2(split, error.c_str());
        QByteArrayList actual;
        for (const auto& word : *split) {
            actual << bytes(word);
        }
        QCOMPARE(actual, words);
    }
};

QTEST_GUILESS_MAIN(TestCurlCommand)
#include "tst_curl_command.moc"
