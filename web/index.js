// The index page names the office it serves.
import { api } from "/common/api.js";
import { markDemo } from "/common/demo.js";

try {
  const office = await api("/office");
  document.getElementById("office-name").textContent = office.office.name;
  markDemo(office);
} catch {
  // The page is useful without the name.
}
