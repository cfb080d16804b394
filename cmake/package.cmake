# package.cmake - the CMake package: `find_package(airssys-wasm)` from an
# install prefix gives the imported targets
#   airssys-wasm::airssys-wasm  the shared library
#   airssys-wasm::static        the static library (needs Threads, libm)
# both with the include directory as their interface.
include(CMakePackageConfigHelpers)
set(AW_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/airssys-wasm)
install(EXPORT airssys-wasm-targets NAMESPACE airssys-wasm::
        DESTINATION ${AW_CMAKE_DIR})
configure_package_config_file(
  ${PROJECT_SOURCE_DIR}/cmake/airssys-wasm-config.cmake.in
  ${PROJECT_BINARY_DIR}/airssys-wasm-config.cmake
  INSTALL_DESTINATION ${AW_CMAKE_DIR})
write_basic_package_version_file(
  ${PROJECT_BINARY_DIR}/airssys-wasm-config-version.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/airssys-wasm-config.cmake
              ${PROJECT_BINARY_DIR}/airssys-wasm-config-version.cmake
        DESTINATION ${AW_CMAKE_DIR})
