// The staff console: the campus app's shell (sign-in, languages, the API client) with a
// navigation by role. The API checks every call; the nav only hides what a role cannot use.
import { startShell } from "../shared/shell.js";

const TICKETS = ["technician", "dorm_manager", "logistics_admin"];
const MEALS = ["canteen_staff", "logistics_admin"];
const DORM = ["dorm_manager", "logistics_admin"];
const OFFICE = ["logistics_admin"];

startShell({
  titleKey: "console.title",
  signInTitleKey: "console.signInTitle",
  refused: ["console.staffOnly", "/"],
  // The app's strings name the API's enums (statuses, meals, allergens…) in both languages.
  strings: ["/static/app/strings.json", "/static/console/strings.json"],
  home: "/",
  nav: [
    { path: "/", key: "console.home" },
    { path: "/tickets", key: "console.menu.tickets", roles: TICKETS },
    { path: "/menus", key: "console.menu.menus", roles: MEALS },
    { path: "/dishes", key: "console.menu.dishes", roles: MEALS },
    { path: "/hours", key: "console.menu.hours", roles: MEALS },
    { path: "/unanswered", key: "console.unanswered.title", roles: DORM },
    { path: "/guidance", key: "console.guidance.title", roles: DORM },
    { path: "/building", key: "console.guidance.buildingTitle", roles: ["dorm_manager"] },
    { path: "/handoffs", key: "console.office.handoffs", roles: DORM },
    { path: "/scores", key: "console.office.scores", roles: OFFICE },
    { path: "/surveys", key: "console.office.surveys", roles: OFFICE },
    { path: "/flagged", key: "console.office.flagged", roles: OFFICE },
    { path: "/rewards", key: "console.office.rewards", roles: OFFICE },
    { path: "/deliveries", key: "console.office.deliveries", roles: OFFICE },
  ],
  allow: (me) => me.role !== "student",
  routes: {
    "/": () => import("./home.js"),
    "/tickets": () => import("./tickets.js"),
    "/tickets/:id": () => import("./ticket.js"),
    "/menus": () => import("./menus.js"),
    "/dishes": () => import("./dishes.js"),
    "/hours": () => import("./hours.js"),
    "/unanswered": () => import("./unanswered.js"),
    "/guidance": () => import("./guidance.js"),
    "/guidance/:id": () => import("./guidance.js"),
    "/building": () => import("./building.js"),
    "/handoffs": () => import("./handoffs.js"),
    "/scores": () => import("./scores.js"),
    "/surveys": () => import("./surveys.js"),
    "/flagged": () => import("./flagged.js"),
    "/rewards": () => import("./rewards.js"),
    "/rewards/:id": () => import("./rewards.js"),
    "/deliveries": () => import("./deliveries.js"),
  },
});
