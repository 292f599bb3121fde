#include "model/daemon.h"

namespace pgtwin {

std::vector<std::string> DaemonCommand(const DaemonSpec& daemon) {
  if (daemon.program == DaemonProgram::kPgqd) return {"pgqd", "-q", "-d", daemon.config_file};
  return {"londiste", "-q", "-d", daemon.config_file, "worker"};
}

}  // namespace pgtwin
