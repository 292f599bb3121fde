#pragma once

#include <functional>
#include <memory>
#include <string>

#include "model/status.h"

namespace pgtwin {

// One HTTP request as the REST handlers see it (no library types).
struct HttpRequest {
  std::string method;         // "GET", "POST", ...
  std::string path;           // percent-decoded, without the query: "/api/v1/environments/qa1"
  std::string query;          // the raw query string, "" when none
  std::string authorization;  // the Authorization header ("" when absent); a secret
};

// The answer to one request.
struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
};

// Answers requests; called concurrently from the server's threads. Must not throw (a throw is
// answered 500 with a JSON error).
using HttpHandler = std::function<HttpResponse(const HttpRequest&)>;

// A small HTTP/1.1 server (cpprestsdk's http_listener) that hands every request to one
// handler. Listening stops when it is destroyed.
class HttpServer {
 public:
  virtual ~HttpServer() = default;

  // Listens on `address` ("127.0.0.1:8470", "[::1]:8470" or "0.0.0.0:8470"). An error says
  // why (address in use, bad address).
  static StatusOr<std::unique_ptr<HttpServer>> Start(const std::string& address,
                                                     HttpHandler handler);
};

}  // namespace pgtwin
