#include "parsers/xml_quiet.hpp"

#include <libxml/globals.h>

namespace cqcwatch::detail {

namespace {
void ignore_generic(void*, const char*, ...) {}
}  // namespace

void xml_ignore_error(void*, xmlErrorPtr) {}

XmlQuiet::XmlQuiet()
    : m_generic(xmlGenericError),
      m_generic_ctx(xmlGenericErrorContext),
      m_structured(xmlStructuredError),
      m_structured_ctx(xmlStructuredErrorContext) {
    xmlSetGenericErrorFunc(nullptr, ignore_generic);
    xmlSetStructuredErrorFunc(nullptr, xml_ignore_error);
}

XmlQuiet::~XmlQuiet() {
    xmlSetGenericErrorFunc(m_generic_ctx, m_generic);
    xmlSetStructuredErrorFunc(m_structured_ctx, m_structured);
}

}  // namespace cqcwatch::detail
