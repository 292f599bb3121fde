#include "providers/http/http_server.h"

#include <cpprest/http_listener.h>
#include <cpprest/uri.h>

#include <exception>

namespace pgtwin {
namespace {

namespace http = web::http;

const char kInternalError[] = "{\"error\":\"internal error\"}";

class CpprestServer : public HttpServer {
 public:
  CpprestServer(const std::string& url, HttpHandler handler)
      : listener_(url), handler_(std::move(handler)) {
    listener_.support([this](http::http_request request) { Serve(request); });
  }

  ~CpprestServer() override {
    try {
      listener_.close().wait();
    } catch (const std::exception&) {
      // Closing a listener that failed to open; nothing to release.
    }
  }

  Status Open() {
    try {
      listener_.open().wait();
      return Status::Ok();
    } catch (const std::exception& e) {
      return Status(StatusCode::kInvalidArgument,
                    "cannot listen on " + listener_.uri().to_string() + ": " + e.what());
    }
  }

 private:
  void Serve(http::http_request request) {
    HttpResponse response;
    try {
      HttpRequest in;
      in.method = request.method();
      in.path = web::uri::decode(request.relative_uri().path());
      in.query = request.relative_uri().query();
      if (request.headers().has(http::header_names::authorization)) {
        in.authorization = request.headers().find(http::header_names::authorization)->second;
      }
      response = handler_(in);
    } catch (const std::exception&) {
      response = HttpResponse{500, "application/json", kInternalError};
    }
    try {
      http::http_response reply(static_cast<http::status_code>(response.status));
      reply.headers().add("Cache-Control", "no-store");
      reply.set_body(response.body, response.content_type);
      request.reply(reply).wait();
    } catch (const std::exception&) {
      // The client went away; nothing to answer.
    }
  }

  http::experimental::listener::http_listener listener_;
  HttpHandler handler_;
};

}  // namespace

StatusOr<std::unique_ptr<HttpServer>> HttpServer::Start(const std::string& address,
                                                        HttpHandler handler) {
  std::string url = "http://" + address + "/";
  std::unique_ptr<CpprestServer> server;
  try {
    server = std::make_unique<CpprestServer>(url, std::move(handler));
  } catch (const std::exception& e) {
    return Status(StatusCode::kInvalidArgument,
                  "cannot listen on " + address + ": " + e.what());
  }
  if (Status status = server->Open(); !status.ok()) return status;
  return std::unique_ptr<HttpServer>(std::move(server));
}

}  // namespace pgtwin
