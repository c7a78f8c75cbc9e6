#include <iostream>

#include "bench/command_line.h"

int main(int argc, char** argv) { return sitrep::bench::Run(argc, argv, std::cout, std::cerr); }
