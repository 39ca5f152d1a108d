#pragma once
// An embargoed CQC press release for tests, written for any lift instant: the
// dateline, the embargo line in UK time and the nine scores, as a plain-text
// email (the shape of the Walsall seed, our own words).

#include <chrono>
#include <string>
#include <vector>

#include <date/tz.h>

namespace cqcwatch::test {

using SysSeconds = std::chrono::sys_seconds;

/// The next whole minute at least 8 s from now (embargo lines have minute precision).
inline SysSeconds next_lift() {
    using namespace std::chrono_literals;
    auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    return SysSeconds(std::chrono::ceil<std::chrono::minutes>(now + 8s));
}

/// `at` formatted in UK time.
inline std::string uk(SysSeconds at, const char* format) {
    return date::format(format, date::make_zoned(date::locate_zone("Europe/London"), at));
}

/// "20 Nov 2026": the dateline, the UK date a minute before the lift.
inline std::string dateline(SysSeconds lift) {
    using namespace std::chrono_literals;
    std::string d = uk(lift - 60s, "%d %b %Y");
    return d[0] == '0' ? d.substr(1) : d;
}

/// "Press release embargoed until 10.31hrs on Monday 23 November".
inline std::string embargo_line(SysSeconds lift) {
    std::string day = uk(lift, "%d");
    if (day[0] == '0') day = day.substr(1);
    return "Press release embargoed until " + uk(lift, "%H.%Mhrs") + " on " + uk(lift, "%A") + " " + day + " " +
           uk(lift, "%B");
}

/// The release as an email; `rating` in words ("requires improvement"), nine `scores`.
inline std::string release_email(SysSeconds lift, const std::string& report_url,
                                 const std::string& rating = "requires improvement",
                                 const std::vector<int>& scores = {2, 2, 3, 2, 2, 2, 2, 2, 3}) {
    using namespace std::chrono_literals;
    static const char* const areas[] = {"assessing people's needs",
                                        "supporting people to lead healthier lives",
                                        "equity in experience and outcomes",
                                        "care provision, integration and continuity of care",
                                        "partnership and communities",
                                        "safe pathways, systems and transitions",
                                        "safeguarding",
                                        "governance, management and sustainability",
                                        "learning, improvement and innovation"};
    std::string list;
    for (std::size_t i = 0; i < 9 && i < scores.size(); ++i)
        list += std::to_string(i + 1) + ". " + areas[i] + " \u2013 " + std::to_string(scores[i]) + "\r\n";
    return "From: CQC Press Office <press@cqc.example.org>\r\n"
           "To: Newsdesk <newsdesk@example.org>\r\n"
           "Subject: Embargoed: CQC rates Walsall Council's adult social care provision as " +
           rating + "\r\nDate: " + uk(lift - 120s, "%a, %d %b %Y %H:%M:%S %z") + "\r\nMessage-ID: <walsall-e2e-" +
           std::to_string(lift.time_since_epoch().count()) +
           "@cqc.example.org>\r\n"
           "MIME-Version: 1.0\r\n"
           "Content-Type: text/plain; charset=\"utf-8\"\r\n"
           "Content-Transfer-Encoding: 8bit\r\n\r\n" +
           dateline(lift) + "\r\n\r\n" + embargo_line(lift) +
           "\r\n\r\nCQC rates Walsall Council's adult social care provision as " + rating +
           "\r\n\r\nThe Care Quality Commission (CQC) has rated Walsall Council as " + rating +
           ", in how well they are meeting their responsibilities to ensure people have access to adult social care "
           "and support under the Care Act (2014).\r\n\r\n"
           "CQC scored nine areas across four themes, each out of four.\r\n\r\n" +
           list + "\r\nLink to the embargoed report: " + report_url + "\r\n";
}

}  // namespace cqcwatch::test
