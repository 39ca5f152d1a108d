#pragma once
// libxml2 reports errors through per-thread global handlers that print to
// stderr by default; library code must print nothing. This guard swaps in
// no-op handlers for one parse and restores the caller's on the way out.

#include <libxml/xmlerror.h>

namespace cqcwatch::detail {

/// Silences libxml2's generic and structured error output while alive.
class XmlQuiet {
public:
    XmlQuiet();
    ~XmlQuiet();
    XmlQuiet(const XmlQuiet&) = delete;
    XmlQuiet& operator=(const XmlQuiet&) = delete;

private:
    xmlGenericErrorFunc m_generic;
    void* m_generic_ctx;
    xmlStructuredErrorFunc m_structured;
    void* m_structured_ctx;
};

/// A structured error handler that drops the error (for a parser context's SAX serror).
void xml_ignore_error(void* ctx, xmlErrorPtr error);

}  // namespace cqcwatch::detail
