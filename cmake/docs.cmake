# docs.cmake - the `docs` target: doxygen over include/ with docs/Doxyfile
# (warnings are errors), HTML output in <build>/docs/html.
find_package(Doxygen QUIET)
if(DOXYGEN_FOUND)
  set(AW_DOXYFILE ${PROJECT_BINARY_DIR}/Doxyfile.docs)
  file(WRITE ${AW_DOXYFILE}
       "@INCLUDE = ${PROJECT_SOURCE_DIR}/docs/Doxyfile\n"
       "OUTPUT_DIRECTORY = ${PROJECT_BINARY_DIR}/docs\n"
       "PROJECT_NUMBER = ${PROJECT_VERSION}\n")
  add_custom_target(docs
    COMMAND ${DOXYGEN_EXECUTABLE} ${AW_DOXYFILE}
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
    COMMENT "Generating the API reference in ${PROJECT_BINARY_DIR}/docs"
    VERBATIM)
else()
  message(STATUS "doxygen not found: no `docs` target")
endif()
