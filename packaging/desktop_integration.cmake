# Man pages, shell completions, the desktop entry with its natter: URL handler, AppStream
# metainfo and hicolor icons: all generated or installed from one source each at build time.
# Man pages and completions come from each program's own --help (packaging/man/help_to_man.py),
# so they list exactly the options --help lists.
find_package(Python3 REQUIRED COMPONENTS Interpreter)
find_package(Qt6 REQUIRED COMPONENTS Gui Svg)

set(natter_generated ${CMAKE_CURRENT_BINARY_DIR}/generated)
set(natter_help_to_man ${CMAKE_CURRENT_SOURCE_DIR}/man/help_to_man.py)

# natter_man_page(PROGRAM SECTION SUMMARY [COMPLETIONS] [SUBS sub...]): PROGRAM.SECTION.gz,
# and with COMPLETIONS the bash and zsh completions, installed into PROGRAM's package.
function(natter_man_page program section summary)
  cmake_parse_arguments(arg "COMPLETIONS" "" "SUBS" ${ARGN})
  set(man ${natter_generated}/${program}.${section})
  set(outputs ${man}.gz)
  set(extra)
  foreach(sub IN LISTS arg_SUBS)
    list(APPEND extra --sub ${sub})
  endforeach()
  if(arg_COMPLETIONS)
    list(APPEND extra --bash ${natter_generated}/bash/${program} --zsh ${natter_generated}/zsh/_${program})
    list(APPEND outputs ${natter_generated}/bash/${program} ${natter_generated}/zsh/_${program})
  endif()
  add_custom_command(
    OUTPUT ${outputs}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${natter_generated}/bash ${natter_generated}/zsh
    COMMAND Python3::Interpreter ${natter_help_to_man} --binary $<TARGET_FILE:${program}> --name ${program}
            --section ${section} --summary "${summary}" --version ${PROJECT_VERSION} --man ${man} ${extra}
    COMMAND gzip -9 -n -f ${man}
    DEPENDS ${program} ${natter_help_to_man}
    COMMENT "Generating ${program}(${section}) from ${program} --help"
    VERBATIM)
  add_custom_target(${program}_man ALL DEPENDS ${outputs})
  install(FILES ${man}.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man${section} COMPONENT ${program})
  if(arg_COMPLETIONS)
    install(FILES ${natter_generated}/bash/${program} DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
            COMPONENT ${program})
    install(FILES ${natter_generated}/zsh/_${program} DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions
            COMPONENT ${program})
  endif()
endfunction()

natter_man_page(natterd 8 "the Natter messaging server" COMPLETIONS SUBS admin backup restore migrate)
natter_man_page(natter 1 "terminal client for the Natter messenger" COMPLETIONS)
natter_man_page(natter-desktop 1 "desktop app for the Natter messenger")

# The AppStream release date is the newest changelog entry's, so the version stays in one place.
file(STRINGS debian/changelog natter_trailer REGEX "^ -- " LIMIT_COUNT 1)
if(NOT natter_trailer MATCHES ", ([0-9][0-9]) ([A-Z][a-z][a-z]) ([0-9][0-9][0-9][0-9]) ")
  message(FATAL_ERROR "packaging/debian/changelog: no date in '${natter_trailer}'")
endif()
set(natter_day ${CMAKE_MATCH_1})
set(natter_year ${CMAKE_MATCH_3})
set(natter_months Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec)
list(FIND natter_months ${CMAKE_MATCH_2} natter_month)
math(EXPR natter_month "${natter_month} + 1" OUTPUT_FORMAT DECIMAL)
if(natter_month LESS 10)
  set(natter_month 0${natter_month})
endif()
set(NATTER_RELEASE_DATE ${natter_year}-${natter_month}-${natter_day})
configure_file(${PROJECT_SOURCE_DIR}/resources/org.natter.Natter.metainfo.xml.in
               ${natter_generated}/org.natter.Natter.metainfo.xml @ONLY)
install(FILES ${natter_generated}/org.natter.Natter.metainfo.xml DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo
        COMPONENT natter-desktop)

# hicolor PNGs beside the scalable SVG (app-desktop/CMakeLists.txt installs that one).
set(natter_icon_sizes 16 22 24 32 48 64 128 256 512)
add_executable(natter-render-icon icons/render_icon.cpp)
target_link_libraries(natter-render-icon PRIVATE Qt6::Gui Qt6::Svg)
set(natter_icons)
foreach(size IN LISTS natter_icon_sizes)
  list(APPEND natter_icons ${natter_generated}/icons/${size}x${size}/natter-desktop.png)
  install(FILES ${natter_generated}/icons/${size}x${size}/natter-desktop.png
          DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/${size}x${size}/apps COMPONENT natter-desktop)
endforeach()
add_custom_command(
  OUTPUT ${natter_icons}
  COMMAND natter-render-icon ${PROJECT_SOURCE_DIR}/resources/natter-desktop.svg ${natter_generated}/icons ${natter_icon_sizes}
  DEPENDS natter-render-icon ${PROJECT_SOURCE_DIR}/resources/natter-desktop.svg
  COMMENT "Rendering natter-desktop's hicolor icons"
  VERBATIM)
add_custom_target(natter_icons ALL DEPENDS ${natter_icons})
