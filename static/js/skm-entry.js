// Paper questionnaire entry grid (SKM): typing 1-4 in an answer cell moves to the next cell;
// the last answer of a row moves to the next row's first answer.
document.querySelectorAll("#grid .jawaban").forEach(function (input, index, all) {
  input.addEventListener("input", function () {
    if (/^[1-4]$/.test(input.value) && all[index + 1]) {
      all[index + 1].focus();
      all[index + 1].select();
    }
  });
});
