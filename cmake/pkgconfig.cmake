# pkgconfig.cmake - installs airssys-wasm.pc, generated at install time from
# cmake/airssys-wasm.pc.in so that its prefix is the one installed into.
set(AW_PC_IN ${PROJECT_SOURCE_DIR}/cmake/airssys-wasm.pc.in)
set(AW_PC_OUT ${PROJECT_BINARY_DIR}/pkgconfig/airssys-wasm.pc)
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
")
install(FILES ${AW_PC_OUT} DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
