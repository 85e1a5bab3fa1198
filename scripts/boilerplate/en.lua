-- newsdesk.boilerplate.en — page chrome of English news sites, as line rules.
-- The format is documented at the top of scripts/boilerplate/tr.lua.
return {
  drop = {
    exact = {
      "Share", "Share this", "Share this article", "Share on Facebook", "Share on Twitter",
      "Tweet", "Print", "Email", "Comments", "Leave a comment", "Subscribe",
      "Sign up", "Sign in", "Log in", "Advertisement", "Sponsored", "Close",
      "Skip to content", "Skip to main content", "Most read", "Top stories",
      "Follow us", "Next article", "Previous article", "Listen to this article",
      "# comments", "# views", "# min read", "Image", "Media caption",
      -- section and topic labels: a line of its own, never a title or a source
      "World", "Europe", "Asia", "Africa", "Americas", "Middle East", "Politics",
      "Business", "Economy", "Sport", "Sports", "Opinion", "Analysis", "Science", "Health",
    },
    prefix = {
      "READ ", "READ MORE", "Read more:", "Related:", "See also:", "Also read:",
      "Image caption", "Image source", "Media caption", "Photo:", "Photograph:",
      "Copyright ", "Updated:", "Last updated",
      "Sign up for", "Subscribe to", "Click here", "Follow us on",
      "This article was", "Telif hakkı", "Primary Topic:", "Topics:", "Tags:",
      "Related Topics:", "Photo credit", "Picture:", "Caption:",
    },
    suffix = { "all rights reserved.", "all rights reserved" },
    contains = { "image caption", "getty images", "be the first to comment" },
  },
  source = {
    exact = { "Reuters", "AFP", "AP", "Associated Press", "Euronews", "BBC News", "Bloomberg" },
    prefix = { "Source:" },
  },
  author = {
    prefix = { "By ", "Written by", "Author:", "Reporting by" },
  },
  agency = {
    exact = { "Reuters", "AFP", "AP", "Associated Press", "UPI", "Bloomberg", "PA", "CNN", "BBC",
              "Xinhua", "Kyodo", "Yonhap", "dpa", "AA", "IANS", "PTI", "EFE", "ANSA" },
  },
  dateline = {
    prefix = { "PLACE (AGENCY) -", "PLACE, DATE (AGENCY) -", "PLACE DATE (AGENCY) -" },
    suffix = { "(AGENCY, DATE)" },
  },
  ["end"] = {
    exact = { "Related articles", "Related stories", "More on this story", "More from",
              "You may also like", "Related Topics", "Comments (#)" },
  },
}
