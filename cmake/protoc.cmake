# mg_protoc(OUT PROTO): compiles common/PROTO with protoc, laid out as common/CMakeLists.txt lays it out
# (<build>/common/<dir>/<name>.pb.{h,cc}, included as "common/<dir>/<name>.pb.h"), and sets OUT to the
# .pb.cc, built without warnings (generated code is not ours to fix). For the build dirs of their own
# that do not read common/CMakeLists.txt (tests/fuzz, tests/sanitize); the target that compiles OUT also
# needs ${CMAKE_BINARY_DIR} and, privately, ${CMAKE_BINARY_DIR}/common on its include path.
function(mg_protoc out proto)
  set(src ${CMAKE_SOURCE_DIR}/common)
  string(REGEX REPLACE "\\.proto$" ".pb" pb ${CMAKE_BINARY_DIR}/common/${proto})
  add_custom_command(
    OUTPUT ${pb}.cc ${pb}.h
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/common
    COMMAND protobuf::protoc --cpp_out=${CMAKE_BINARY_DIR}/common -I ${src} ${src}/${proto}
    DEPENDS ${src}/${proto} protobuf::protoc
    COMMENT "protoc common/${proto}"
    VERBATIM)
  set_source_files_properties(${pb}.cc PROPERTIES COMPILE_OPTIONS "-w")
  set(${out} ${pb}.cc PARENT_SCOPE)
endfunction()
