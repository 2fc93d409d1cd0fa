(function () {
  try {
    var name = location.pathname.split("/").pop();
    var kept = location.search === "" && name ? localStorage.getItem("faire-avec:v1:leger:" + name) : null;
    if (kept && kept.charAt(0) === "?") {
      document.documentElement.setAttribute("data-reprise", "");
      document.documentElement.style.visibility = "hidden";
      location.replace(name + kept + location.hash);
    }
  } catch (error) {}
})();
