#include "server/app.h"
#include "server/config.h"

int main(int argc, char** argv) {
  int exit_code = 0;
  const std::optional<sitrep::Config> config = sitrep::ParseFlags(argc, argv, exit_code);
  if (!config) return exit_code;      // ParseFlags printed usage or one line saying why
  return sitrep::RunServer(*config);  // until SIGINT or SIGTERM
}
