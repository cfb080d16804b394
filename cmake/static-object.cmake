# static-object.cmake - builds ${AW_PUBLIC_OBJECT}: all objects of aw_objects
# joined into one relocatable object (`ld -r` through the C compiler), in
# which every global symbol is then made local except those the shared
# library exports (the AW_API / WASM_API_EXTERN functions: the public API,
# nothing but aw_* and wasm_*).  The static library archives only this
# object, so an application linking libairssys-wasm.a sees exactly the
# shared library's API (scripts/check-symbols.sh proves both), and the
# engine's internal names (toml_parse, rt_*, vm_*, aw_fail...) cannot collide
# with the application's.
find_program(AW_OBJCOPY NAMES objcopy REQUIRED)
find_program(AW_NM NAMES nm REQUIRED)
set(AW_PUBLIC_OBJECT ${PROJECT_BINARY_DIR}/airssys-wasm-public.o)
add_custom_command(
  OUTPUT ${AW_PUBLIC_OBJECT}
  COMMAND ${CMAKE_C_COMPILER} -r -nostdlib -o ${AW_PUBLIC_OBJECT}.tmp
          $<TARGET_OBJECTS:aw_objects>
  COMMAND ${CMAKE_COMMAND} -DNM=${AW_NM} -DOBJCOPY=${AW_OBJCOPY}
          -DSO=$<TARGET_FILE:airssys-wasm-shared> -DIN=${AW_PUBLIC_OBJECT}.tmp
          -DOUT=${AW_PUBLIC_OBJECT}
          -P ${PROJECT_SOURCE_DIR}/cmake/localize.cmake
  DEPENDS aw_objects airssys-wasm-shared $<TARGET_OBJECTS:aw_objects>
          ${PROJECT_SOURCE_DIR}/cmake/localize.cmake
  COMMAND_EXPAND_LISTS
  VERBATIM
  COMMENT "Linking the static library's single object (public symbols only)")
set_source_files_properties(${AW_PUBLIC_OBJECT} PROPERTIES
  EXTERNAL_OBJECT TRUE GENERATED TRUE)
