// plugin/main.cpp: kubectl-multigres entry point (commands are registered in plugin/commands).
#include "plugin/app.hpp"

int main(int argc, char** argv) { return mg::plugin::run(argc, argv); }
