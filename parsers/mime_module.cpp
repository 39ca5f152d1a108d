#include "parsers/mime_module.hpp"

#include <dlfcn.h>
#include <unistd.h>

#include <array>
#include <filesystem>
#include <mutex>

namespace cqcwatch::mime {

namespace {

std::string executable_dir() {
    std::array<char, 4096> buf{};
    const ssize_t n = ::readlink("/proc/self/exe", buf.data(), buf.size() - 1);
    if (n <= 0) return ".";
    std::string exe(buf.data(), static_cast<std::size_t>(n));
    const auto slash = exe.rfind('/');
    return slash == std::string::npos ? std::string(".") : exe.substr(0, slash == 0 ? 1 : slash);
}

}  // namespace

tl::expected<const Api*, std::string> load_module(const std::string& path) {
    // RTLD_NODELETE: GLib's type system cannot be unloaded; the handle is kept for the process anyway.
    void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
    if (handle == nullptr) {
        const char* why = ::dlerror();
        std::string text = why != nullptr ? why : "dlopen failed";
        // dlerror() begins with the path itself when the file is missing; say it once.
        if (text.rfind(path, 0) != 0) text = path + ": " + text;
        return tl::make_unexpected(text);
    }
    auto entry = reinterpret_cast<EntryPoint>(::dlsym(handle, k_entry_point));
    if (entry == nullptr) {
        return tl::make_unexpected(path + ": not a cqcwatch mail module (no " + std::string(k_entry_point) + ")");
    }
    const Api* table = entry();
    if (table == nullptr || table->abi != k_abi || table->version == nullptr ||
        std::string_view(table->version) != CQCWATCH_VERSION) {
        return tl::make_unexpected(
            path + ": the module is from another build (" +
            (table != nullptr && table->version != nullptr ? "cqcwatch " + std::string(table->version) : "unknown") +
            ", interface " + std::to_string(table != nullptr ? table->abi : 0) + "; this is cqcwatch " +
            CQCWATCH_VERSION + ", interface " + std::to_string(k_abi) + "): reinstall cqcwatch");
    }
    return table;
}

std::string module_path() {
    return (std::filesystem::path(executable_dir()) / CQCWATCH_MIME_RELDIR / "cqcwatch-mime.so").lexically_normal();
}

tl::expected<const Api*, std::string> api() {
    static std::once_flag once;
    static tl::expected<const Api*, std::string> loaded = tl::make_unexpected(std::string());
    std::call_once(once, [] { loaded = load_module(module_path()); });
    return loaded;
}

}  // namespace cqcwatch::mime
