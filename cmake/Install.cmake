# Installs the unit, the example config (as /etc/cqcwatch/config.toml only when
# none exists), the man page, and packages it all as a .deb with CPack.
# The binary and data/ are installed by the top-level CMakeLists.txt.

set(CQCWATCH_SYSTEMD_UNIT_DIR "lib/systemd/system" CACHE STRING "Where the systemd unit goes (relative to the prefix)")
set(CQCWATCH_SYSCONF_DIR "/etc/cqcwatch" CACHE PATH "Where the config lives")

# The unit in the tree names /usr/bin and /etc/cqcwatch (what the .deb installs);
# the installed copy names the prefix it is installed under, which is known only
# at install time (cmake --install --prefix, or cpack's /usr).
install(CODE "
  file(READ \"${PROJECT_SOURCE_DIR}/systemd/cqcwatch.service\" unit)
  string(REPLACE \"/usr/bin/cqcwatch \" \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}/cqcwatch \" unit \"\${unit}\")
  string(REPLACE \"/etc/cqcwatch/\" \"${CQCWATCH_SYSCONF_DIR}/\" unit \"\${unit}\")
  file(WRITE \"${PROJECT_BINARY_DIR}/unit/cqcwatch.service\" \"\${unit}\")
  file(INSTALL \"${PROJECT_BINARY_DIR}/unit/cqcwatch.service\"
       DESTINATION \"\${CMAKE_INSTALL_PREFIX}/${CQCWATCH_SYSTEMD_UNIT_DIR}\")
")
# The mail spool's group and directories (README, "Mail intake").
install(FILES ${PROJECT_SOURCE_DIR}/systemd/cqcwatch.sysusers DESTINATION lib/sysusers.d RENAME cqcwatch.conf)
install(FILES ${PROJECT_SOURCE_DIR}/systemd/cqcwatch.tmpfiles DESTINATION lib/tmpfiles.d RENAME cqcwatch.conf)
install(FILES ${PROJECT_SOURCE_DIR}/config.example.toml ${PROJECT_SOURCE_DIR}/README.md
        DESTINATION ${CMAKE_INSTALL_DOCDIR} OPTIONAL)
install(FILES ${PROJECT_SOURCE_DIR}/docs/cqcwatch.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)

# cmake --install: never overwrite an operator's config. The .deb ships the same
# file as a conffile instead, so dpkg asks before replacing an edited one.
# file(INSTALL) adds $DESTDIR itself (cpack stages through it).
install(CODE "
  set(conf \"\$ENV{DESTDIR}${CQCWATCH_SYSCONF_DIR}/config.toml\")
  if(NOT EXISTS \"\${conf}\")
    file(INSTALL \"${PROJECT_SOURCE_DIR}/config.example.toml\" DESTINATION \"${CQCWATCH_SYSCONF_DIR}\"
         RENAME config.toml PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
  else()
    message(STATUS \"Keeping existing \${conf}\")
  endif()
")

# `make install`/cpack would otherwise build every target, tests included, first;
# packaging needs only the binary (check_package.sh builds it).
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)

set(CPACK_PACKAGE_NAME cqcwatch)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "cqcwatch maintainers <maintainers@example.org>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Watches CQC for council adult social care assessments and alerts")
set(CPACK_GENERATOR DEB)
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# procps: the unit reloads with /bin/kill -HUP, which a minimal Debian lacks.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "tzdata, ca-certificates, procps")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${PROJECT_SOURCE_DIR}/packaging/debian/conffiles
    ${PROJECT_SOURCE_DIR}/packaging/debian/postinst
    ${PROJECT_SOURCE_DIR}/packaging/debian/prerm
    ${PROJECT_SOURCE_DIR}/packaging/debian/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
