#include "reconciler/cli/render_command.h"

#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "model/desired_state.h"
#include "providers/postgres/password_reader.h"
#include "providers/snapshot/json_codec.h"
#include "providers/snapshot/yaml_codec.h"
#include "reconciler/cli/exit_codes.h"
#include "reconciler/cli/spec_errors.h"
#include "reconciler/expand/expander.h"
#include "reconciler/render/tree_renderer.h"

namespace pgtwin {
namespace {

struct RenderOptions {
  std::string spec;
  std::string format = "tree";
  std::string site;
};

std::string Header(const std::string& environment, const SiteState& state) {
  return "# environment " + environment + ", site " + state.site.name + ": " +
         state.site.DisplayName() + (state.site.protect ? " (protected)" : "") + "\n";
}

// Every site as one JSON document: {"version": 1, "environment": ..., "sites": [...]}.
std::string RenderJson(const DesiredState& state, const std::vector<const SiteState*>& sites) {
  nlohmann::ordered_json out = {{"version", 1}, {"environment", state.environment}};
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const SiteState* site : sites) {
    list.push_back({{"site", site->site.name},
                    {"server", site->site.DisplayName()},
                    {"protected", site->site.protect},
                    {"desired", nlohmann::ordered_json::parse(ObjectToJson(site->desired))}});
  }
  out["sites"] = std::move(list);
  return out.dump(2) + "\n";
}

std::string Render(const DesiredState& state, const std::vector<const SiteState*>& sites,
                   const std::string& format) {
  if (format == "json") return RenderJson(state, sites);
  std::string text;
  for (const SiteState* site : sites) {
    if (format == "yaml") {
      text += Header(state.environment, *site) + "---\n" + ObjectToYaml(site->desired);
    } else {
      text += (text.empty() ? "" : "\n") + Header(state.environment, *site) +
              RenderTree(site->desired);
    }
  }
  return text;
}

Status RunRender(const RenderOptions& options) {
  StatusOr<CheckedSpec> checked = LoadSpecOrPrintErrors(options.spec);
  if (!checked.ok()) return checked.status();
  const EnvironmentSpec& spec = checked.value().spec;
  std::string known;
  bool site_found = options.site.empty();
  for (const SiteSpec& site : spec.sites) {
    known += (known.empty() ? "" : ", ") + site.name;
    site_found = site_found || site.name == options.site;
  }
  if (!site_found) {
    return Status(StatusCode::kInvalidArgument, "--site '" + options.site + "': no such site in " +
                                                    options.spec + " (sites: " + known + ")");
  }
  PasswordHashes hashes;
  if (spec.roles.passwords == "int") {
    StatusOr<PasswordHashes> read = ReadPasswordHashes(spec.int_source);
    if (!read.ok()) return Status(read.status().code(), "INT " + read.status().message());
    hashes = std::move(read).value();
  }
  DesiredState state = Expand(spec, checked.value().prod, hashes);
  std::vector<const SiteState*> sites;
  for (const SiteState& site : state.sites) {
    if (options.site.empty() || site.site.name == options.site) sites.push_back(&site);
  }
  std::string text = Render(state, sites, options.format);
  if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size() || std::fflush(stdout) != 0) {
    return Status(StatusCode::kInternal, "cannot write to standard output");
  }
  return Status::Ok();
}

}  // namespace

void RegisterRenderCommand(CLI::App& app, int* exit_code) {
  auto options = std::make_shared<RenderOptions>();
  CLI::App* render = app.add_subcommand(
      "render", "Print the desired state of each site of an environment spec after expansion");
  render->add_option("SPEC", options->spec, "Spec file (YAML)")->required();
  render->add_option("--format", options->format, "Output format (default: tree)")
      ->check(CLI::IsMember({"tree", "yaml", "json"}));
  render->add_option("--site", options->site, "Print only this site");
  render->callback([options, exit_code] {
    Status status = RunRender(*options);
    *exit_code = status.ok() ? kExitOk : ReportError(status);
  });
}

}  // namespace pgtwin
