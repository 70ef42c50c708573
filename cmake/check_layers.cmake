# cmake -P cmake/check_layers.cmake -DSOURCE_DIR=<repo> -DSTAMP=<file>
# The pure layers (docs/architecture.md: util, api, naming, resolve, build, render, status, view) do no
# I/O: none of their files may include the I/O layers (common/kube, topo, pg, crypto), the operator or
# the plugin, or the headers of OpenSSL, libpq or cpp-httplib. The library they form links
# none of those either, so a call that slips through fails to link; this check names the include.
set(pure util api naming resolve build render status view)
set(forbidden "#include[ \t]*[<\"](common/(kube|topo|pg|crypto)/|operator/|plugin/|openssl/|libpq|httplib)")
set(found "")
foreach(layer IN LISTS pure)
  file(GLOB_RECURSE files "${SOURCE_DIR}/common/${layer}/*.cpp" "${SOURCE_DIR}/common/${layer}/*.hpp")
  foreach(f IN LISTS files)
    file(STRINGS "${f}" lines REGEX "${forbidden}")
    foreach(line IN LISTS lines)
      file(RELATIVE_PATH rel "${SOURCE_DIR}" "${f}")
      string(APPEND found "\n  ${rel}: ${line}")
    endforeach()
  endforeach()
endforeach()
if(found)
  message(FATAL_ERROR "a pure layer includes an I/O layer (move the I/O to kube, topo, pg or the operator's "
                      "runtime, and pass the data in):${found}")
endif()
file(TOUCH "${STAMP}")
