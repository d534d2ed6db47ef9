// The campus app for students: routes, navigation, and the live chat that runs on every page.
import { startShell } from "../shared/shell.js";
import { live } from "./chat-live.js";

const NAV = [
  { path: "/chat", key: "nav.chat" },
  { path: "/repairs", key: "nav.repairs" },
  { path: "/surveys", key: "nav.surveys" },
  { path: "/menus", key: "nav.menus" },
  { path: "/dorm", key: "nav.dorm" },
  { path: "/settings", key: "nav.settings" },
];

startShell({
  titleKey: "app.title",
  signInTitleKey: "app.signInTitle",
  refused: ["app.studentsOnly", "/console"],
  strings: ["/static/app/strings.json"],
  home: "/chat",
  nav: NAV,
  allow: (me) => me.role === "student",
  routes: {
    "/chat": () => import("./chat.js"),
    "/repairs": () => import("./repairs.js"),
    "/repairs/new": () => import("./repair-new.js"),
    "/repairs/:id": () => import("./repair.js"),
    "/surveys": () => import("./surveys.js"),
    "/surveys/:id": () => import("./survey.js"),
    "/menus": () => import("./menus.js"),
    "/dorm": () => import("./dorm.js"),
    "/settings": () => import("./settings.js"),
  },
  onEnter: (shell) => live.start(shell),
  onSignOut: () => live.stop(),
});
