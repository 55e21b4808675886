export default {
  name: 'broken'
  beforeRouting() {}
};
