#include <unistd.h>

#include <iostream>

#include "cli/command_line.h"
#include "cli/terminal.h"

int main(int argc, char** argv) {
  return sitrep::cli::Run(argc, argv, std::cout, std::cerr,
                          sitrep::cli::DetectTerminal(STDOUT_FILENO));
}
