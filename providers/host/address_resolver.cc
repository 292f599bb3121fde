#include "providers/host/address_resolver.h"

#include <netdb.h>
#include <sys/socket.h>

#include <memory>

namespace pgtwin {

StatusOr<std::string> ResolveAddress(const std::string& host) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  int rc = getaddrinfo(host.c_str(), nullptr, &hints, &found);
  if (rc != 0) {
    return Status(StatusCode::kNotFound,
                  "cannot resolve host '" + host + "': " + gai_strerror(rc));
  }
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> list(found, freeaddrinfo);
  const addrinfo* chosen = found;
  for (const addrinfo* a = found; a != nullptr; a = a->ai_next) {
    if (a->ai_family == AF_INET) {
      chosen = a;
      break;
    }
  }
  char text[NI_MAXHOST];
  rc = getnameinfo(chosen->ai_addr, chosen->ai_addrlen, text, sizeof(text), nullptr, 0,
                   NI_NUMERICHOST);
  if (rc != 0) {
    return Status(StatusCode::kNotFound,
                  "cannot resolve host '" + host + "': " + gai_strerror(rc));
  }
  return std::string(text);
}

}  // namespace pgtwin
