#include <iostream>

#include "cli/command_line.h"

int main(int argc, char** argv) { return sitrep::cli::Run(argc, argv, std::cout, std::cerr); }
