#pragma once
// libxml2 reports errors through per-thread global handlers that print to
// stderr by default; library code must print nothing. This guard swaps in
// no-op handlers for one parse and restores the caller's on the way out.
// Also the one safe way to read a subtree's text (no entity expansion).

#include <string>

#include <libxml/tree.h>
#include <libxml/xmlerror.h>

namespace cqcwatch::detail {

/// A structured error handler that drops the error.
void xml_ignore_error(void* ctx, xmlErrorPtr error);

/// Silences libxml2's error output while alive; structured errors go to `handler` (with `ctx`) instead.
class XmlQuiet {
public:
    explicit XmlQuiet(void* ctx = nullptr, xmlStructuredErrorFunc handler = xml_ignore_error);
    ~XmlQuiet();
    XmlQuiet(const XmlQuiet&) = delete;
    XmlQuiet& operator=(const XmlQuiet&) = delete;

private:
    xmlGenericErrorFunc m_generic;
    void* m_generic_ctx;
    xmlStructuredErrorFunc m_structured;
    void* m_structured_ctx;
};

/// The text and CDATA under a node, in order; entity references are never expanded.
std::string xml_text(const xmlNode* node);

}  // namespace cqcwatch::detail
