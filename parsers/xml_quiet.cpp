#include "parsers/xml_quiet.hpp"

#include <vector>

#include <libxml/globals.h>

namespace cqcwatch::detail {

namespace {
void ignore_generic(void*, const char*, ...) {}
}  // namespace

void xml_ignore_error(void*, xmlErrorPtr) {}

XmlQuiet::XmlQuiet(void* ctx, xmlStructuredErrorFunc handler)
    : m_generic(xmlGenericError),
      m_generic_ctx(xmlGenericErrorContext),
      m_structured(xmlStructuredError),
      m_structured_ctx(xmlStructuredErrorContext) {
    xmlSetGenericErrorFunc(nullptr, ignore_generic);
    // The HTML parser's SAX handler is not SAX2, so libxml2 ignores a context's serror: use the thread's.
    xmlSetStructuredErrorFunc(ctx, handler);
}

XmlQuiet::~XmlQuiet() {
    xmlSetGenericErrorFunc(m_generic_ctx, m_generic);
    xmlSetStructuredErrorFunc(m_structured_ctx, m_structured);
}

std::string xml_text(const xmlNode* node) {
    // xmlNodeGetContent would expand entity references: a billion laughs in one call.
    std::string out;
    std::vector<const xmlNode*> stack{node};
    while (!stack.empty()) {
        const xmlNode* n = stack.back();
        stack.pop_back();
        if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) && n->content != nullptr) {
            out += reinterpret_cast<const char*>(n->content);
        }
        if (n->type == XML_ENTITY_REF_NODE) {
            continue;
        }
        for (const xmlNode* c = n->last; c != nullptr; c = c->prev) {
            stack.push_back(c);
        }
    }
    return out;
}

}  // namespace cqcwatch::detail
