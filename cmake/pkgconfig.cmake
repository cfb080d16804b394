# pkgconfig.cmake - installs airssys-wasm.pc and airssys-wasm-static.pc,
# generated at install time from cmake/*.pc.in so that their prefix is the
# one installed into.
#   pkg-config --libs airssys-wasm           the shared library
#   pkg-config --static --libs airssys-wasm  adds Libs.private (-lpthread
#       -lm): right where only libairssys-wasm.a is installed, but the
#       linker still prefers the .so when both are there; hence
#   pkg-config --libs airssys-wasm-static    names libairssys-wasm.a itself
#       (plus -lpthread -lm): a static link whatever else is installed.
set(AW_PC_IN ${PROJECT_SOURCE_DIR}/cmake/airssys-wasm.pc.in)
set(AW_PC_OUT ${PROJECT_BINARY_DIR}/pkgconfig/airssys-wasm.pc)
set(AW_PCS_IN ${PROJECT_SOURCE_DIR}/cmake/airssys-wasm-static.pc.in)
set(AW_PCS_OUT ${PROJECT_BINARY_DIR}/pkgconfig/airssys-wasm-static.pc)
install(CODE "
  set(PROJECT_VERSION \"${PROJECT_VERSION}\")
  set(AW_PC_LIBDIR \"${CMAKE_INSTALL_LIBDIR}\")
  set(AW_PC_INCLUDEDIR \"${CMAKE_INSTALL_INCLUDEDIR}\")
  foreach(d AW_PC_LIBDIR AW_PC_INCLUDEDIR)
    if(NOT IS_ABSOLUTE \"\${\${d}}\")
      set(\${d} \"\\\${prefix}/\${\${d}}\")
    endif()
  endforeach()
  configure_file(\"${AW_PC_IN}\" \"${AW_PC_OUT}\" @ONLY)
  configure_file(\"${AW_PCS_IN}\" \"${AW_PCS_OUT}\" @ONLY)
")
install(FILES ${AW_PC_OUT} ${AW_PCS_OUT}
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
