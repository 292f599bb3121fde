#include "providers/process/daemon_files.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>

namespace pgtwin {
namespace {

std::optional<std::string> ReadText(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in.is_open()) return std::nullopt;
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace

int RunningPid(const std::string& pid_file, const std::string& config_file) {
  std::optional<std::string> text = ReadText(pid_file);
  if (!text) return 0;
  int pid = 0;
  try {
    size_t used = 0;
    pid = std::stoi(*text, &used);
    if (text->find_first_not_of(" \t\r\n", used) != std::string::npos) return 0;
  } catch (const std::exception&) {
    return 0;
  }
  if (pid <= 0) return 0;
  std::optional<std::string> cmdline = ReadText("/proc/" + std::to_string(pid) + "/cmdline");
  if (!cmdline) return 0;
  size_t start = 0;
  while (start < cmdline->size()) {
    size_t end = cmdline->find('\0', start);
    if (end == std::string::npos) end = cmdline->size();
    if (cmdline->compare(start, end - start, config_file) == 0) return pid;
    start = end + 1;
  }
  return 0;
}

std::vector<ObservedDaemon> ObserveDaemons(const std::string& dir) {
  std::vector<ObservedDaemon> daemons;
  std::filesystem::path root(dir);
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(root / "conf", error)) {
    const std::filesystem::path& path = entry.path();
    if (path.extension() != ".ini" || !entry.is_regular_file(error)) continue;
    ObservedDaemon daemon;
    daemon.name = path.stem().string();
    daemon.config_file = path.string();
    daemon.config = ReadText(path);
    daemon.pid = RunningPid((root / "pid" / (daemon.name + ".pid")).string(), daemon.config_file);
    daemons.push_back(std::move(daemon));
  }
  std::sort(daemons.begin(), daemons.end(),
            [](const ObservedDaemon& a, const ObservedDaemon& b) { return a.name < b.name; });
  return daemons;
}

}  // namespace pgtwin
