// The index page names the office it serves.
import { api } from "/common/api.js";

try {
  const office = await api("/office");
  document.getElementById("office-name").textContent = office.office.name;
} catch {
  // The page is useful without the name.
}
